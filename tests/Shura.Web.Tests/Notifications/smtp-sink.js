// A real SMTP server on loopback, for the e-mail tests: smtp-server (from nodemailer) receives,
// mailparser reads each message, and every message is written to standard output as one JSON
// line. Started by NoticeMailTests; it prints "listening PORT" first.
// While the file named by REFUSE_FILE exists, every recipient is refused with 451 (try later).
// While the file named by HOLD_FILE exists, a recipient is not answered at all: the sender hangs
// mid-send (the sink says so on a line {"held": address}), as on a mail server that stalls.
"use strict";
const fs = require("fs");
const { SMTPServer } = require("smtp-server");
const { simpleParser } = require("mailparser");

const refuse = process.env.REFUSE_FILE;
const hold = process.env.HOLD_FILE;
const raw = (mail, key) => {
  const line = mail.headerLines.find(h => h.key === key);
  return line ? line.line.slice(line.line.indexOf(":") + 1).replace(/\r?\n\s+/g, " ").trim() : null;
};
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS", "AUTH"],
  onRcptTo(address, session, callback) {
    if (hold && fs.existsSync(hold)) {
      process.stdout.write(JSON.stringify({ held: address.address }) + "\n");
      return;
    }
    if (refuse && fs.existsSync(refuse)) {
      const error = new Error("Try again later");
      error.responseCode = 451;
      return callback(error);
    }
    callback();
  },
  onData(stream, session, callback) {
    simpleParser(stream).then(mail => {
      process.stdout.write(JSON.stringify({
        envelopeTo: session.envelope.rcptTo.map(r => r.address),
        from: mail.from && mail.from.text,
        to: mail.to && mail.to.text,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        // The two headers of RFC 8058 as they arrived, unfolded.
        listUnsubscribe: raw(mail, "list-unsubscribe"),
        listUnsubscribePost: raw(mail, "list-unsubscribe-post"),
      }) + "\n");
      callback();
    }, callback);
  },
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`listening ${server.server.address().port}\n`));

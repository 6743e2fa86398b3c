using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Shura.Web.Fediverse;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Fediverse;

/// <summary>
/// HTTP Signatures (draft-cavage, rsa-sha256, as Mastodon requires) checked against an implementation
/// we did not write, Joyent's http-signature from npm: it verifies what Shura signs, Shura verifies
/// what it signs — and Shura refuses the unsigned, the replayed (old date), the wrong digest and the
/// forged, each for its own reason.
/// </summary>
public class HttpSignaturesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static async Task<JsonElement> PeerAsync(object ask)
    {
        string directory = Path.Combine(Repository.Root, "tests", "Shura.Web.Tests");
        var start = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        start.ArgumentList.Add(Path.Combine(directory, "Fediverse", "http-sig.js"));
        using var node = Process.Start(start)!;
        await node.StandardInput.WriteAsync(JsonSerializer.Serialize(ask));
        node.StandardInput.Close();
        string answer = await node.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await node.WaitForExitAsync();
        Assert.True(answer.Length > 0, "http-sig.js answered nothing: " + await node.StandardError.ReadToEndAsync());
        return JsonDocument.Parse(answer).RootElement.Clone();
    }

    private static (string Private, string Public) NewKey()
    {
        using var rsa = RSA.Create(2048);
        return (rsa.ExportPkcs8PrivateKeyPem(), rsa.ExportSubjectPublicKeyInfoPem());
    }

    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"type":"Follow","actor":"https://social.example/users/sara"}""");

    private static Dictionary<string, string> Headers(DateTimeOffset at, byte[] body) => new(StringComparer.Ordinal)
    {
        ["host"] = "council.example",
        ["date"] = HttpSignatures.Date(at),
        ["digest"] = HttpSignatures.Digest(body),
        ["content-type"] = "application/activity+json",
    };

    private static readonly string[] Required = ["(request-target)", "host", "date", "digest"];

    [Fact]
    public async Task What_Shura_signs_the_independent_library_verifies_and_a_change_breaks_it()
    {
        var (privatePem, publicPem) = NewKey();
        var headers = Headers(Now, Body);
        headers["signature"] = HttpSignatures.Sign("https://council.example/ap/councils/x#key-1", privatePem, "POST", "/users/sara/inbox", headers);

        var verified = await PeerAsync(new { mode = "verify", method = "POST", path = "/users/sara/inbox", headers, publicKeyPem = publicPem, required = Required });
        Assert.True(verified.GetProperty("ok").GetBoolean(), verified.ToString());
        var moved = await PeerAsync(new { mode = "verify", method = "POST", path = "/users/leyla/inbox", headers, publicKeyPem = publicPem, required = Required });
        Assert.False(moved.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task What_the_independent_library_signs_Shura_verifies_and_it_refuses_the_unsigned_the_replayed_the_wrong_digest_and_the_forged()
    {
        var (privatePem, publicPem) = NewKey();
        var headers = Headers(Now, Body);
        var signed = await PeerAsync(new
        {
            mode = "sign", method = "POST", path = "/ap/councils/x/inbox", headers, privateKeyPem = privatePem,
            keyId = "https://social.example/users/sara#main-key", sign = Required,
        });
        headers["signature"] = signed.GetProperty("signature").GetString()!;
        var signature = HttpSignatures.Parse(headers["signature"]);
        Assert.NotNull(signature);
        Assert.Equal("https://social.example/users/sara#main-key", signature.KeyId);

        SignatureCheck Check(IReadOnlyDictionary<string, string> h, byte[] body, DateTimeOffset now, string key, string target = "/ap/councils/x/inbox") =>
            HttpSignatures.Check(HttpSignatures.Parse(h["signature"])!, key, "POST", target, h, body, now);

        Assert.Equal(SignatureCheck.Good, Check(headers, Body, Now, publicPem));
        // Delivered again two hours later: a replay.
        Assert.Equal(SignatureCheck.Stale, Check(headers, Body, Now.AddHours(2), publicPem));
        // Another body under the same signature and digest.
        Assert.Equal(SignatureCheck.DigestMismatch, Check(headers, Encoding.UTF8.GetBytes("""{"type":"Delete"}"""), Now, publicPem));
        // Another inbox, or another key.
        Assert.Equal(SignatureCheck.WrongSignature, Check(headers, Body, Now, publicPem, "/ap/councils/y/inbox"));
        Assert.Equal(SignatureCheck.WrongSignature, Check(headers, Body, Now, NewKey().Public));
        // Signed without the digest: the body is not covered, so it is refused.
        var partial = Headers(Now, Body);
        partial["signature"] = (await PeerAsync(new
        {
            mode = "sign", method = "POST", path = "/ap/councils/x/inbox", headers = partial, privateKeyPem = privatePem,
            keyId = "https://social.example/users/sara#main-key", sign = new[] { "(request-target)", "host", "date" },
        })).GetProperty("signature").GetString()!;
        Assert.Equal(SignatureCheck.UnsignedHeader, Check(partial, Body, Now, publicPem));
        // No signature, or nonsense.
        Assert.Null(HttpSignatures.Parse(null));
        Assert.Null(HttpSignatures.Parse("keyId=x"));
        Assert.Null(HttpSignatures.Parse("keyId=\"x\",signature=\"not base64!\""));
    }
}

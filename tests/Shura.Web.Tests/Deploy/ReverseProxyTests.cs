using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Deploy;

/// <summary>
/// <c>shura serve</c> behind a real nginx (Debian's) that holds the certificate, as docs/deploy.md
/// sets it up: the pages' cookies are Secure, HSTS is sent, and the rate limits see each client's
/// own address — two clients are limited apart, and a client that writes X-Forwarded-For itself,
/// not through the proxy, is still counted by its own address.
/// </summary>
public class ReverseProxyTests
{
    private const string Nginx = "/usr/sbin/nginx";

    [Fact]
    public async Task Behind_nginx_over_https_cookies_are_secure_hsts_is_sent_and_each_client_is_limited_by_its_own_address()
    {
        Assert.True(File.Exists(Nginx), $"{Nginx} is missing: test.sh installs it (apt-get install nginx-light)");
        string dir = Directory.CreateTempSubdirectory("shura-proxy-").FullName;
        int port = FreePort();
        await using var shura = await ServeProcess.StartAsync(Path.Combine(dir, "shura.db"), "--proxy", "127.0.0.1", "--public-url", $"https://localhost:{port}");
        await using var nginx = await NginxAsync(dir, port, shura.Address);

        using var first = Client(port, "127.0.0.2");
        using var second = Client(port, "127.0.0.3");

        // HSTS on the HTTPS answers, and the pages' cookies Secure.
        using (var page = await first.GetAsync("/signin"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.StartsWith("max-age=31536000", string.Join(",", page.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
            var cookies = page.Headers.GetValues("Set-Cookie").ToList();
            Assert.NotEmpty(cookies);
            Assert.All(cookies, cookie => Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase));
        }
        var person = await new Api(first).RegisterAsync("Leyla");
        using (var signedIn = await first.PostAsJsonAsync("/api/v1/tokens", new { email = person.Email, password = "correct horse", label = "proxy" }))
        {
            Assert.Equal(HttpStatusCode.Created, signedIn.StatusCode);
        }

        // The first client fails to sign in until its address is held back; the second, from its own
        // address, is not: the limit counts the client the proxy names, not the proxy.
        Assert.Equal(HttpStatusCode.TooManyRequests, await FailUntilHeldBackAsync(first));
        Assert.Equal(HttpStatusCode.Unauthorized, await FailOnceAsync(second));

        // Straight to the server, not through the proxy, X-Forwarded-For is not believed: a client
        // naming a new address on every try is still counted by its own.
        using var direct = new HttpClient(new SocketsHttpHandler { ConnectCallback = From("127.0.0.4") }) { BaseAddress = shura.Address };
        var forged = 0;
        direct.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        HttpStatusCode last = HttpStatusCode.OK;
        for (int i = 0; i <= Shura.Web.Site.Limits.Default.SignIn.FailuresPerAddress; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tokens") { Content = JsonContent.Create(new { email = $"nobody{i}@example.org", password = "wrong" }) };
            request.Headers.Add("X-Forwarded-For", $"198.51.100.{++forged}");
            using var answer = await direct.SendAsync(request);
            last = answer.StatusCode;
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, last);

        // The metrics answer the machine itself, never a client the proxy passes on.
        Assert.Equal(HttpStatusCode.OK, (await shura.Client.GetAsync("/metrics")).StatusCode);
        using (var viaProxy = new HttpRequestMessage(HttpMethod.Get, "/metrics"))
        {
            viaProxy.Headers.Add("X-Forwarded-For", "203.0.113.9");
            viaProxy.Headers.Add("X-Forwarded-Proto", "https");
            Assert.Equal(HttpStatusCode.NotFound, (await shura.Client.SendAsync(viaProxy)).StatusCode);
        }
        Assert.DoesNotContain(shura.Output, line => line.Contains("198.51.100.", StringComparison.Ordinal));
    }

    private static async Task<HttpStatusCode> FailUntilHeldBackAsync(HttpClient client)
    {
        for (int i = 0; i <= Shura.Web.Site.Limits.Default.SignIn.FailuresPerAddress; i++)
        {
            var status = await FailOnceAsync(client);
            if (status != HttpStatusCode.Unauthorized)
            {
                return status;
            }
        }
        return HttpStatusCode.Unauthorized;
    }

    private static async Task<HttpStatusCode> FailOnceAsync(HttpClient client)
    {
        using var answer = await client.PostAsJsonAsync("/api/v1/tokens", new { email = $"nobody.{Guid.NewGuid():N}@example.org", password = "wrong" });
        return answer.StatusCode;
    }

    /// <summary>A client connecting from its own loopback address (127.0.0.2, …), trusting the test certificate.</summary>
    private static HttpClient Client(int port, string from) => new(new SocketsHttpHandler
    {
        ConnectCallback = From(from),
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == TestCertificate.Localhost.GetCertHashString() },
        UseCookies = true,
    })
    { BaseAddress = new Uri($"https://localhost:{port}") };

    private static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> From(string address) => async (context, ct) =>
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
        await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, ct);
        return new NetworkStream(socket, ownsSocket: true);
    };

    /// <summary>nginx as docs/deploy.md configures it, in a folder of its own, run by this test.</summary>
    private static async Task<Running> NginxAsync(string dir, int port, Uri upstream)
    {
        File.WriteAllText(Path.Combine(dir, "cert.pem"), TestCertificate.Localhost.ExportCertificatePem());
        File.WriteAllText(Path.Combine(dir, "key.pem"), TestCertificate.Localhost.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        string conf = Path.Combine(dir, "nginx.conf");
        File.WriteAllText(conf, $$"""
            daemon off;
            worker_processes 1;
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path {{dir}}/body;
                proxy_temp_path {{dir}}/proxy;
                fastcgi_temp_path {{dir}}/fastcgi;
                uwsgi_temp_path {{dir}}/uwsgi;
                scgi_temp_path {{dir}}/scgi;
                server {
                    listen 127.0.0.1:{{port}} ssl;
                    ssl_certificate {{dir}}/cert.pem;
                    ssl_certificate_key {{dir}}/key.pem;
                    location / {
                        proxy_pass {{upstream.ToString().TrimEnd('/')}};
                        proxy_set_header Host $host;
                        proxy_set_header X-Forwarded-For $remote_addr;
                        proxy_set_header X-Forwarded-Proto $scheme;
                    }
                }
            }
            """);
        var process = Process.Start(new ProcessStartInfo(Nginx) { ArgumentList = { "-c", conf, "-p", dir }, RedirectStandardError = true })!;
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return new Running(process);
            }
            catch (SocketException) when (waited.Elapsed < TimeSpan.FromSeconds(30) && !process.HasExited)
            {
                await Task.Delay(100);
            }
            catch (SocketException)
            {
                Assert.Fail($"nginx did not start: {(process.HasExited ? await process.StandardError.ReadToEndAsync() : "no answer")} {File.ReadAllText(Path.Combine(dir, "error.log"))}");
            }
        }
    }

    private sealed class Running(Process process) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            process.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

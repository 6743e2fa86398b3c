using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Shura.Storage;
using Shura.Web.Site;

namespace Shura.Web.Tests.Support;

/// <summary>
/// A real Shura server on a free 127.0.0.1 port, in this process, on a fresh database. Tests talk
/// to it over real HTTP. With a fake clock, deadlines pass when the test moves time on.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServer(WebApplication app, string db, FakeTimeProvider? clock)
    {
        _app = app;
        Db = db;
        Clock = clock;
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // Over HTTPS the test's own certificate is the one to trust, as a peer given it trusts it.
        Client = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
            errors == System.Net.Security.SslPolicyErrors.None || certificate?.Thumbprint == TestCertificate.Localhost.Thumbprint })
        {
            BaseAddress = new Uri(address),
        };
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(new ErrorCollector(Errors, Warnings));
    }

    /// <summary>What the server logged as errors, each with its exception: a failing test can say what went wrong inside.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>What the server logged as warnings: a test of work done beside the requests (deliveries) can say why it is not done.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Warnings { get; } = new();

    private sealed class ErrorCollector(System.Collections.Concurrent.ConcurrentQueue<string> errors, System.Collections.Concurrent.ConcurrentQueue<string> warnings) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Collector(errors, warnings);

        public void Dispose()
        {
        }

        private sealed class Collector(System.Collections.Concurrent.ConcurrentQueue<string> errors, System.Collections.Concurrent.ConcurrentQueue<string> warnings) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (logLevel >= LogLevel.Error)
                {
                    errors.Enqueue($"{formatter(state, exception)} {exception}");
                }
                else if (logLevel == LogLevel.Warning && warnings.Count < 100)
                {
                    warnings.Enqueue($"{formatter(state, exception)} {exception?.Message}");
                }
            }
        }
    }

    public string Db { get; }

    public FakeTimeProvider? Clock { get; }

    public HttpClient Client { get; }

    public Database Database => _app.Services.GetRequiredService<Database>();

    public IServiceProvider Services => _app.Services;

    /// <param name="limits">Rate limits other than the defaults, for fixtures that make many councils on one server at once.</param>
    /// <param name="at">Where a fake clock starts (the real present when not given).</param>
    /// <param name="deadlineService">
    /// Whether the deadline service runs; by default only with the real clock. With a fake clock and
    /// the service on, what falls due at once (a deliberation of no length) moves on by itself, as for
    /// a person clicking in a browser, while the test still moves time and passes deadlines itself.
    /// </param>
    public static async Task<TestServer> StartAsync(
        string? engine = null, bool fakeClock = false, string? db = null, Limits? limits = null, DateTimeOffset? at = null, bool? deadlineService = null, string? redis = null,
        string? smtp = null, string? publicUrl = null, bool https = false)
    {
        db ??= Engines.FreshDb(engine ?? Engines.Sqlite);
        // The fake clock starts at the real present, so that what a test writes is judged by `shura verify` (which reads the real clock) as written now.
        var clock = fakeClock ? new FakeTimeProvider(at ?? DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds())) : null;
        // With a fake clock the test moves time and passes the deadlines itself (PassDeadlinesAsync): nothing waits on the wall clock.
        var app = ShuraServer.Build(new ServerOptions(https ? "https://127.0.0.1:0" : "http://127.0.0.1:0", db, clock, limits, Deadlines: deadlineService ?? clock is null, Redis: redis, Smtp: smtp, PublicUrl: publicUrl, FediverseAllowPrivate: true));
        if (https)
        {
            // Served over HTTPS as the federated social web requires (WebFinger is looked up over https only), with a certificate for 127.0.0.1 made for the tests.
            app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>>().Value
                .ConfigureHttpsDefaults(h => h.ServerCertificate = TestCertificate.Localhost);
        }
        app.Logger.LogInformation("Test server on {Db}", db);
        await app.StartAsync();
        return new TestServer(app, db, clock);
    }

    public Api Api() => new(Client);

    /// <summary>
    /// Waits until the mailer, which runs beside a test, has marked every notice due mailed and sent
    /// every e-mail, and the deliverer has fanned out every activity to the fediverse: a test
    /// comparing the store before and after a refusal compares it at rest.
    /// </summary>
    public async Task MailerDoneAsync()
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var c = Database.OpenConnection();
            if (Dapper.SqlMapper.ExecuteScalar<long>(c,
                """
                SELECT (SELECT COUNT(*) FROM deliveries WHERE sent_at IS NULL) + (SELECT COUNT(*) FROM notices WHERE mailed = 0 AND at <= @now) + (SELECT COUNT(*) FROM account_mails)
                     + (SELECT COUNT(*) FROM ap_activities WHERE fanned_at IS NULL)
                """,
                new { now = Shura.Core.Log.LogEntry.FormatTime((Clock ?? TimeProvider.System).GetUtcNow()) }) == 0)
            {
                return;
            }
            Assert.True(waited.Elapsed.TotalSeconds < 30, "the mailer did not finish within 30 s");
            await Task.Delay(100);
        }
    }

    /// <summary>Does the deadline work that is due now, as the deadline service would; a server with a fake clock runs without that service.</summary>
    public Task PassDeadlinesAsync() => _app.Services.GetRequiredService<Shura.Web.Motions.Deadlines>().PassAsync(CancellationToken.None);

    /// <summary>Moves the fake clock on, and passes the deadlines that fell meanwhile.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Clock!.Advance(by);
        await PassDeadlinesAsync();
    }

    /// <summary>Passes what is due and reads the motion, which must now be in <paramref name="state"/>.</summary>
    public async Task<System.Text.Json.JsonElement> StateAsync(string motion, string state, Person? who = null)
    {
        await PassDeadlinesAsync();
        var body = await Api().MotionAsync(motion, who);
        Assert.Equal(state, body.GetProperty("state").GetString());
        return body;
    }

    private bool _disposed;

    /// <summary>Stops the server; a second call does nothing (a test may stop it early to look at its files).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

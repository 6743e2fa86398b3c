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
        Client = new HttpClient { BaseAddress = new Uri(address) };
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(new ErrorCollector(Errors));
    }

    /// <summary>What the server logged as errors, each with its exception: a failing test can say what went wrong inside.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Errors { get; } = new();

    private sealed class ErrorCollector(System.Collections.Concurrent.ConcurrentQueue<string> errors) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Collector(errors);

        public void Dispose()
        {
        }

        private sealed class Collector(System.Collections.Concurrent.ConcurrentQueue<string> errors) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    errors.Enqueue($"{formatter(state, exception)} {exception}");
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
    public static async Task<TestServer> StartAsync(string? engine = null, bool fakeClock = false, string? db = null, Limits? limits = null, DateTimeOffset? at = null)
    {
        db ??= Engines.FreshDb(engine ?? Engines.Sqlite);
        // The fake clock starts at the real present, so that what a test writes is judged by `shura verify` (which reads the real clock) as written now.
        var clock = fakeClock ? new FakeTimeProvider(at ?? DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds())) : null;
        var app = ShuraServer.Build(new ServerOptions("http://127.0.0.1:0", db, clock, limits));
        app.Logger.LogInformation("Test server on {Db}", db);
        await app.StartAsync();
        return new TestServer(app, db, clock);
    }

    public Api Api() => new(Client);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

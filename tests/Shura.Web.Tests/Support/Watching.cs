using Microsoft.AspNetCore.SignalR.Client;
using Shura.Web.Site;

namespace Shura.Web.Tests.Support;

/// <summary>
/// A page's live connection, signed in as a person (or nobody), watching a council — counting the
/// "changed" it is told — or a motion, counting the parts pushed to it and keeping the last.
/// </summary>
public sealed class Watching(HubConnection connection) : IAsyncDisposable
{
    private readonly SemaphoreSlim _changes = new(0);
    private int _count;
    private LiveParts? _last;

    public int Count => Volatile.Read(ref _count);

    /// <summary>What watching a motion answered at once: its parts as they were (null: refused).</summary>
    public LiveParts? First { get; private set; }

    /// <summary>The last parts pushed.</summary>
    public LiveParts? Last => Volatile.Read(ref _last);

    public static Task<Watching> StartAsync(TestServer server, Person? person, string council) =>
        StartAsync(server, person, async w => await w.Connection.InvokeAsync("Watch", council));

    public static Task<Watching> MotionAsync(TestServer server, Person? person, string motion, string language = "en") =>
        StartAsync(server, person, async w => w.First = await w.Connection.InvokeAsync<LiveParts?>("WatchMotion", motion, language));

    private HubConnection Connection => connection;

    private static async Task<Watching> StartAsync(TestServer server, Person? person, Func<Watching, Task> watch)
    {
        using var visitor = new Visitor(server.Client.BaseAddress!);
        if (person is not null)
        {
            await visitor.SignInAsync(person);
        }
        var connection = new HubConnectionBuilder().WithUrl(new Uri(server.Client.BaseAddress!, "/live"), o => o.Cookies = visitor.Cookies).Build();
        var watching = new Watching(connection);
        connection.On<string>("changed", _ => watching.Changed());
        connection.On<LiveParts>("parts", parts =>
        {
            Volatile.Write(ref watching._last, parts);
            watching.Changed();
        });
        await connection.StartAsync();
        await watch(watching);
        return watching;
    }

    private void Changed()
    {
        Interlocked.Increment(ref _count);
        _changes.Release();
    }

    /// <summary>Waits (real time: it travels over a socket) for the next message.</summary>
    public async Task Next() => Assert.True(await _changes.WaitAsync(TimeSpan.FromSeconds(15)), "no change was told");

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}

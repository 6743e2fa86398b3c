using Microsoft.AspNetCore.SignalR.Client;

namespace Shura.Web.Tests.Support;

/// <summary>A page's live connection, signed in as a person, watching a council: counts the "changed" it is told.</summary>
public sealed class Watching(HubConnection connection) : IAsyncDisposable
{
    private readonly SemaphoreSlim _changes = new(0);
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public static async Task<Watching> StartAsync(TestServer server, Person person, string council)
    {
        using var visitor = new Visitor(server.Client.BaseAddress!);
        await visitor.SignInAsync(person);
        var connection = new HubConnectionBuilder().WithUrl(new Uri(server.Client.BaseAddress!, "/live"), o => o.Cookies = visitor.Cookies).Build();
        var watching = new Watching(connection);
        connection.On<string>("changed", _ => watching.Changed());
        await connection.StartAsync();
        await connection.InvokeAsync("Watch", council);
        return watching;
    }

    private void Changed()
    {
        Interlocked.Increment(ref _count);
        _changes.Release();
    }

    /// <summary>Waits (real time: it travels over a socket) for the next "changed".</summary>
    public async Task Next() => Assert.True(await _changes.WaitAsync(TimeSpan.FromSeconds(15)), "no change was told");

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}

using System.Text.Json;
using StackExchange.Redis;
using Shura.Core.Log;

namespace Shura.Web.Site;

/// <summary>What a live page needs of a commit, whichever node made it: the chain it touched, and for entries that can take reading away, what they say.</summary>
public sealed record Told(string Chain, string Type, string Payload)
{
    /// <summary>The entries after which who may read a council is checked again (<see cref="Live"/>).</summary>
    public static bool TakesReadingAway(string type) => type is "member-left" or "seat-vacated" or "holder-recalled" or "settings-changed";

    /// <summary>The entries that may give notices at once (the Projector's calls of Notice without a later due time): members' unread counts are told to look again.</summary>
    public static bool Notifies(string type) =>
        type is "motion-put" or "motion-proposed" or "voting-started" or "motion-closed" or "holder-recalled" or "call-on" or "text-hidden" or "comment-posted";

    public static Told From(LogEntry entry) => new(entry.Chain, entry.Type, TakesReadingAway(entry.Type) ? entry.Payload : "");
}

/// <summary>
/// Several `shura serve` nodes on one database, joined by Redis (<c>--redis</c>): each node
/// publishes what its commits touched on one channel, and every node tells its own live pages of
/// every node's commits, in each node's commit order — after checking, as for its own, who may
/// still read (a member who left through node A hears nothing more on node B). A sign-out ends the
/// session's live connections on every node. The rate limits count in the same Redis
/// (<see cref="Throttle"/>). Without Redis a node works alone, as one always did.
/// </summary>
/// <remarks>
/// SignalR's own Redis backplane was not used for the live hub: it delivers group messages from the
/// node that sends them, in no order with the commits the receiving node has seen, so a page on
/// node B could be told of a council its viewer just left through node A. Here each node decides
/// for its own pages, in commit order, and sends only to them.
/// </remarks>
public sealed class Nodes : IAsyncDisposable
{
    private readonly string _me = Guid.NewGuid().ToString("N");
    private readonly RedisChannel _channel;

    private Nodes(ConnectionMultiplexer redis, string scope)
    {
        Redis = redis;
        Scope = scope;
        _channel = RedisChannel.Literal(scope + ":commits");
    }

    public ConnectionMultiplexer Redis { get; }

    /// <summary>
    /// What this store's keys and channel begin with in Redis: drawn from the store's own secret key,
    /// so the nodes of one store share it and two stores sharing a Redis never hear each other.
    /// </summary>
    public string Scope { get; }

    /// <summary>Connects to Redis (a StackExchange.Redis configuration such as "127.0.0.1:6379") for the store whose key is <paramref name="storeKey"/>; null when no Redis is given.</summary>
    public static Nodes? Connect(string? configuration, byte[] storeKey) =>
        string.IsNullOrWhiteSpace(configuration)
            ? null
            : new Nodes(ConnectionMultiplexer.Connect(configuration),
                "shura:" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(storeKey, "nodes"u8))[..16]);

    private sealed record Message(string Node, IReadOnlyList<Told>? Commit, string? EndedSession);

    /// <summary>Tells the other nodes of a commit made here.</summary>
    public void Publish(IReadOnlyList<Told> commit) => Send(new Message(_me, commit, null));

    /// <summary>Tells the other nodes a session signed out.</summary>
    public void SessionEnded(string session) => Send(new Message(_me, null, session));

    private void Send(Message message) =>
        Redis.GetSubscriber().Publish(_channel, JsonSerializer.Serialize(message), CommandFlags.FireAndForget);

    /// <summary>Hears the other nodes, one message at a time in the order they were published.</summary>
    public async Task ListenAsync(Action<IReadOnlyList<Told>> commit, Action<string> sessionEnded)
    {
        var queue = await Redis.GetSubscriber().SubscribeAsync(_channel);
        queue.OnMessage(received =>
        {
            if (JsonSerializer.Deserialize<Message>(received.Message.ToString()) is not { } message || message.Node == _me)
            {
                return;
            }
            if (message.Commit is { } told)
            {
                commit(told);
            }
            if (message.EndedSession is { } session)
            {
                sessionEnded(session);
            }
        });
    }

    public async ValueTask DisposeAsync() => await Redis.DisposeAsync();
}

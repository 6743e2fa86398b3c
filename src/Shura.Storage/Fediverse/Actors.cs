using Dapper;

namespace Shura.Storage.Fediverse;

/// <summary>A council as the federated social web sees it: only public councils are actors.</summary>
public sealed record ActorView(string Id, string Handle, string Name, string Description, string CreatedAt, bool Federation, IReadOnlyList<string>? BlockedServers = null)
{
    /// <summary>Whether the members blocked the server of any of these addresses (an actor's, a key's).</summary>
    public bool Blocks(params string?[] urls) => Core.Councils.ServerBlocks.BlocksAny(BlockedServers, urls);
}

/// <summary>A council's signing key: its id (the actor's URL and a fragment), and the public half as PEM.</summary>
public sealed record ActorKey(string KeyId, string PublicPem);

/// <summary>
/// Public councils as ActivityPub actors: found by handle (WebFinger) or id, with their current key.
/// A members-only council is no actor at all: asked for, it is not there.
/// </summary>
public sealed class Actors(Database database)
{

    public async Task<ActorView?> ByHandleAsync(string handle, CancellationToken ct) => await FindAsync("handle = @key", handle, ct);

    public async Task<ActorView?> ByIdAsync(CouncilId id, CancellationToken ct) => await FindAsync("id = @key", id.ToString(), ct);

    private async Task<ActorView?> FindAsync(string where, string key, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        var found = await c.QuerySingleOrDefaultAsync<(string Id, string Handle, string Name, string Description, string CreatedAt, long Federation, string Settings)?>(
            $"SELECT id, handle, name, description, created_at, federation, settings FROM councils WHERE {where}", new { key });
        if (found is not { } f || Projector.FromJson<Core.Councils.CouncilSettings>(f.Settings) is not { Visibility: Core.Councils.Visibility.Public } settings)
        {
            return null;
        }
        return new ActorView(f.Id, f.Handle, f.Name, f.Description, f.CreatedAt, f.Federation != 0, settings.BlockedServers);
    }

    /// <summary>The council's current key, if it has one yet.</summary>
    public async Task<ActorKey?> KeyAsync(CouncilId council, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<ActorKey>(
            "SELECT key_id AS KeyId, public_pem AS PublicPem FROM actor_keys WHERE council_id = @council AND retired_at IS NULL", new { council = council.ToString() });
    }
}

/// <summary>Keys are made outside the writer (an RSA key takes a moment) and kept by it: the first one kept wins.</summary>
public static class ActorKeys
{
    /// <summary>Keeps a key made for the council unless it has a current one already; answers the current one.</summary>
    public static Result<ActorKey> Keep(WriteSession s, CouncilId council, string keyId, string publicPem, string privatePem)
    {
        if (s.Single<ActorKey>("SELECT key_id AS KeyId, public_pem AS PublicPem FROM actor_keys WHERE council_id = @council AND retired_at IS NULL",
            new { council = council.ToString() }) is { } current)
        {
            return current;
        }
        s.Execute("INSERT INTO actor_keys (key_id, council_id, public_pem, private_pem, created_at) VALUES (@keyId, @council, @publicPem, @privatePem, @now)",
            new { keyId, council = council.ToString(), publicPem, privatePem, now = s.Time });
        return new ActorKey(keyId, publicPem);
    }

    /// <summary>
    /// Rotation, say after the server or a backup of it was exposed: the current key is retired (a
    /// new one is made when next needed, by the server that knows its own address), and an
    /// <c>Update</c> of the council's actor is queued for its followers, so that their servers
    /// read the new key at once rather than go on trusting the old one. Answers whether there was
    /// a key to retire.
    /// </summary>
    public static Result<bool> Rotate(WriteSession s, CouncilId council)
    {
        if (s.Execute("UPDATE actor_keys SET retired_at = @now WHERE council_id = @council AND retired_at IS NULL", new { council = council.ToString(), now = s.Time }) == 0)
        {
            return false;
        }
        // Not an event of the council's log (nothing the members decided): ordered by its time alone.
        s.Execute("INSERT INTO ap_activities (id, council_id, kind, subject, at, seq) VALUES (@id, @council, 'update', @subject, @now, 0)",
            new { id = Guid.CreateVersion7(s.Now).ToString(), council = council.ToString(), subject = $"council:{council}", now = s.Time });
        return true;
    }

    /// <summary>The councils that have a current key, to rotate them all.</summary>
    public static async Task<IReadOnlyList<CouncilId>> KeyedAsync(Database database, CancellationToken ct)
    {
        await using var c = await database.OpenConnectionAsync(ct);
        return [.. (await c.QueryAsync<string>("SELECT council_id FROM actor_keys WHERE retired_at IS NULL ORDER BY council_id")).Select(id => new CouncilId(Guid.Parse(id)))];
    }
}

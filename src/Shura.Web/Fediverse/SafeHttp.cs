using System.Net;
using System.Net.Sockets;

namespace Shura.Web.Fediverse;

/// <summary>What the server may reach on the federated social web: in production only public addresses.</summary>
/// <param name="AllowPrivate">Lets fetches and deliveries reach loopback and private addresses: for tests on one machine only (<c>--fediverse-allow-private</c>).</param>
public sealed record FediverseOptions(bool AllowPrivate = false)
{
    /// <summary>At most this many bytes of any answer read.</summary>
    public const int MaxAnswer = 1 << 20;

    /// <summary>Any fetch or delivery gives up after this long.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
}

/// <summary>A fetch or delivery that was not made: the address is one the server must not reach, or the answer was too large.</summary>
public sealed class RefusedDestinationException(string message) : HttpRequestException(message);

/// <summary>
/// The one HTTP client that reaches other servers of the federated social web. Someone who names a
/// URL to us (an actor, a key, an inbox) must not make the server reach into its own network: every
/// connection resolves the name itself and refuses loopback, private, link-local, unique-local and
/// other non-public addresses before connecting (so a name that resolves to 10.0.0.5, or changes its
/// answer between a check and the connection, reaches nothing). Answers are cut at
/// <see cref="FediverseOptions.MaxAnswer"/> bytes and every request at <see cref="FediverseOptions.Timeout"/>.
/// </summary>
public static class SafeHttp
{
    public static HttpClient Create(FediverseOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = FediverseOptions.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = async (context, ct) =>
            {
                var addresses = IPAddress.TryParse(context.DnsEndPoint.Host, out var literal)
                    ? [literal]
                    : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
                var allowed = addresses.Where(a => options.AllowPrivate || IsPublic(a)).ToList();
                if (allowed.Count == 0)
                {
                    throw new RefusedDestinationException($"{context.DnsEndPoint.Host} is not a public address: the server does not reach into private networks.");
                }
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(allowed[0], context.DnsEndPoint.Port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { Timeout = FediverseOptions.Timeout, MaxResponseContentBufferSize = FediverseOptions.MaxAnswer };
    }

    /// <summary>Whether an address is on the public internet: not loopback, private (RFC 1918, RFC 4193), link-local, carrier-grade NAT, multicast or unspecified.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            byte[] b = address.GetAddressBytes();
            return !(b[0] == 10 || b[0] == 0 || b[0] >= 224
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19)));
        }
        byte[] v6 = address.GetAddressBytes();
        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
            || (v6[0] & 0xFE) == 0xFC // fc00::/7, unique local
            || (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0D && v6[3] == 0xB8)); // 2001:db8::/32, documentation
    }
}

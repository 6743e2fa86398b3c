using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Shura.Web;

/// <summary>
/// Serving behind a reverse proxy (Caddy, nginx) that holds the certificate. The proxy connects from
/// its own address; it says whose request it passes on in <c>X-Forwarded-For</c>, and whether it came
/// over HTTPS in <c>X-Forwarded-Proto</c>. Those headers are believed only from the proxies named in
/// <c>--proxy</c>: anyone else could write them to pass for another client (and slip past the rate
/// limits, which count by client address) or for HTTPS. Once believed, the client's address is the
/// one the limits see, cookies are <c>Secure</c> because the request is HTTPS, and HSTS tells
/// browsers to come back over HTTPS only. With an <c>https://</c> public address, a plain-HTTP
/// request the proxy passes on is sent to HTTPS.
/// </summary>
public static class ReverseProxies
{
    /// <summary>The addresses and networks given, or an error naming the one that is neither.</summary>
    public static IReadOnlyList<System.Net.IPNetwork> Parse(IEnumerable<string> given)
    {
        var networks = new List<System.Net.IPNetwork>();
        foreach (string proxy in given)
        {
            if (IPAddress.TryParse(proxy, out var address))
            {
                networks.Add(new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else if (System.Net.IPNetwork.TryParse(proxy, out var network))
            {
                networks.Add(network);
            }
            else
            {
                throw new ArgumentException($"--proxy \"{proxy}\" is not an IP address or a network (e.g. 127.0.0.1, 10.0.0.0/8)");
            }
        }
        return networks;
    }

    public static void AddServices(IServiceCollection services, IReadOnlyList<System.Net.IPNetwork> proxies)
    {
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the proxies named: not the loopback the defaults would trust, nor anyone else.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                o.KnownIPNetworks.Add(proxy);
            }
            // One proxy: its X-Forwarded-For names the client; more entries were written by the client.
            o.ForwardLimit = 1;
        });
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            // Whatever name the server is reached by over HTTPS — a test's loopback name too.
            o.ExcludedHosts.Clear();
        });
    }

    public static void Use(WebApplication app, IReadOnlyList<System.Net.IPNetwork> proxies, string? publicUrl)
    {
        if (proxies.Count > 0)
        {
            app.UseForwardedHeaders();
            if (publicUrl is not null && Uri.TryCreate(publicUrl, UriKind.Absolute, out var site) && site.Scheme == Uri.UriSchemeHttps)
            {
                // Only what the proxy passed on over plain HTTP goes to HTTPS: the forwarded headers were
                // applied (X-Original-Proto kept). A check from the machine itself, straight to the
                // server (/healthz, /metrics), is answered as it came.
                app.Use(async (context, next) =>
                {
                    if (!context.Request.IsHttps && context.Request.Headers.ContainsKey("X-Original-Proto"))
                    {
                        context.Response.Redirect(new UriBuilder(site) { Path = context.Request.Path, Query = context.Request.QueryString.Value }.Uri.AbsoluteUri, permanent: true, preserveMethod: true);
                        return;
                    }
                    await next(context);
                });
            }
        }
        // Sent on HTTPS answers only (HSTS over plain HTTP means nothing, and browsers ignore it).
        app.UseHsts();
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Shura.Web.Fediverse;

/// <summary>What checking a signed request found.</summary>
public enum SignatureCheck
{
    Good,
    Missing,
    Malformed,
    UnsignedHeader,
    Stale,
    DigestMismatch,
    WrongSignature,
}

/// <summary>The parts of a <c>Signature</c> header: who signed, with what, over which headers.</summary>
public sealed record SignatureHeader(string KeyId, string Algorithm, IReadOnlyList<string> Headers, byte[] Signature);

/// <summary>
/// HTTP Signatures as the federated social web uses them (draft-cavage-http-signatures, as Mastodon
/// requires): RSA-SHA256 over <c>(request-target)</c>, <c>host</c>, <c>date</c> and, with a body,
/// <c>digest</c> (SHA-256 of the body). Pure: it signs and checks what it is given; fetching the
/// signer's key is the caller's. A request is good only when every one of those headers is signed,
/// its date is within <see cref="Window"/> of now (an old delivery replayed is refused) and its
/// digest is its body's.
/// </summary>
public static class HttpSignatures
{
    /// <summary>How far a signed date may be from now, either way.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public static string Digest(ReadOnlySpan<byte> body) => "SHA-256=" + Convert.ToBase64String(SHA256.HashData(body));

    public static string Date(DateTimeOffset now) => now.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);

    /// <summary>The text that is signed: each header named, in order, as "name: value" lines.</summary>
    public static string SigningString(string method, string target, IReadOnlyDictionary<string, string> headers, IEnumerable<string> names) =>
        string.Join('\n', names.Select(name => name == "(request-target)"
            ? $"(request-target): {method.ToLowerInvariant()} {target}"
            : $"{name}: {headers[name]}"));

    /// <summary>The <c>Signature</c> header for a request with these headers (lower-case names: host, date, and digest when there is a body).</summary>
    public static string Sign(string keyId, string privatePem, string method, string target, IReadOnlyDictionary<string, string> headers)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(privatePem);
        return Sign(keyId, rsa, method, target, headers);
    }

    /// <summary>The same with a key ready to sign (imported once, for many deliveries).</summary>
    public static string Sign(string keyId, RSA rsa, string method, string target, IReadOnlyDictionary<string, string> headers)
    {
        string[] names = ["(request-target)", .. new[] { "host", "date", "digest" }.Where(headers.ContainsKey)];
        byte[] signature = rsa.SignData(Encoding.UTF8.GetBytes(SigningString(method, target, headers, names)), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"keyId=\"{keyId}\",algorithm=\"rsa-sha256\",headers=\"{string.Join(' ', names)}\",signature=\"{Convert.ToBase64String(signature)}\"";
    }

    /// <summary>The parts of a <c>Signature</c> header, or null for one that is not well formed.</summary>
    public static SignatureHeader? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string part in header.Split(','))
        {
            int equals = part.IndexOf('=');
            if (equals <= 0)
            {
                return null;
            }
            string value = part[(equals + 1)..].Trim();
            if (value.Length < 2 || value[0] != '"' || value[^1] != '"')
            {
                return null;
            }
            fields[part[..equals].Trim()] = value[1..^1];
        }
        if (!fields.TryGetValue("keyId", out string? keyId) || !fields.TryGetValue("signature", out string? signed))
        {
            return null;
        }
        try
        {
            return new SignatureHeader(keyId, fields.GetValueOrDefault("algorithm", "rsa-sha256"),
                fields.TryGetValue("headers", out string? names) ? names.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries) : ["date"],
                Convert.FromBase64String(signed));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Checks a request signed as <paramref name="signature"/> says, with the signer's public key.</summary>
    /// <param name="headers">The request's headers, names in lower case.</param>
    public static SignatureCheck Check(
        SignatureHeader signature, string publicPem, string method, string target, IReadOnlyDictionary<string, string> headers, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (signature.Algorithm is not ("rsa-sha256" or "hs2019"))
        {
            return SignatureCheck.Malformed;
        }
        string[] required = body.Length > 0 ? ["(request-target)", "host", "date", "digest"] : ["(request-target)", "host", "date"];
        if (required.Any(name => !signature.Headers.Contains(name)) || signature.Headers.Any(name => name != "(request-target)" && !headers.ContainsKey(name)))
        {
            return SignatureCheck.UnsignedHeader;
        }
        if (!DateTimeOffset.TryParseExact(headers["date"], "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            || (date - now).Duration() > Window)
        {
            return SignatureCheck.Stale;
        }
        if (body.Length > 0 && headers["digest"] != Digest(body))
        {
            return SignatureCheck.DigestMismatch;
        }
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(publicPem);
        }
        catch (ArgumentException)
        {
            return SignatureCheck.Malformed;
        }
        return rsa.VerifyData(Encoding.UTF8.GetBytes(SigningString(method, target, headers, signature.Headers)), signature.Signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            ? SignatureCheck.Good
            : SignatureCheck.WrongSignature;
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Shura.Web.Tests.Support;

/// <summary>
/// A self-signed certificate for 127.0.0.1, made once per test run, for a test server over HTTPS;
/// <see cref="PemFile"/> holds it for peers to trust (Node reads it from NODE_EXTRA_CA_CERTS).
/// </summary>
public static class TestCertificate
{
    private static readonly Lazy<X509Certificate2> Made = new(Make);

    public static X509Certificate2 Localhost => Made.Value;

    public static string PemFile { get; } = Path.Combine(Path.GetTempPath(), $"shura-test-cert-{Environment.ProcessId}.pem");

    private static X509Certificate2 Make()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = TimeProvider.System.GetUtcNow();
        using var made = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        File.WriteAllText(PemFile, made.ExportCertificatePem());
        // Loaded again from PKCS#12 so that the TLS stack holds a key it can use.
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
    }
}

using System.Security.Cryptography;
using Shura.Core.Ballots;
using Shura.Core.Ballots.Files;

namespace Shura.Core.Tests.Support;

/// <summary>
/// The real election files in ../shared/data/elections (beside the repository), checked against
/// the SHA-256 sums their README publishes before any test reads them.
/// </summary>
public static class RealElections
{
    private static readonly Dictionary<string, string> Sha256 = new()
    {
        ["00001-00000001.soi"] = "2893eaa73ef003d245d7b62a6b521690b8e33e3a35fce61e6d2218c5b24236e3",
        ["00001-00000002.soi"] = "44732e5d9029ab7230284cb07fd83bef6e097e85a34e32ad487b4413a2641462",
        ["00001-00000003.soi"] = "4c07ec8222fc749a9d18930d87a66528fb0eca06815b594c833cc7cf36729245",
        ["00002-00000003.soi"] = "ae8a83528355612b2b7fafecde345144e25099dd238805c3b16af6974cfd5a28",
        ["00002-00000005.soi"] = "bf34fdd546e3293eff19552894e5f266a706df6d3fa6c12e5613ea7203e4cdd6",
        ["00005-00000001.toi"] = "4c263a9f06c453919421604bafa8c4c7d2e615f14c980ed7de2d90daad1b66ab",
        ["00005-00000002.toi"] = "e229686d5c74152028974f0626172c95b08175fc3660dfd3bfccb096ebc2c1fb",
        ["00008-00000001.soi"] = "613c07fba5c8af5f10acb3ce073f6f25c376425280b790340960e671e3c8cb78",
        ["00008-00000018.soi"] = "e76d160b69c2895ce44428630c9bf88ab341aa5fd4a6f7fc05b4df1299245733",
        ["00016-00000002.toi"] = "99c259e173fd21be0b6e9ef92503e8a28b5825eee62a02183370890be97c82cd",
        ["00021-00000011.toi"] = "9dc9c82188302b7271a73d9b26873c7fdf0e9a85e41b387933ceb8bf756d045f",
    };

    public static IEnumerable<string> Names => Sha256.Keys;

    /// <summary>The folder of the real election files: ../shared/data/elections from the repository root.</summary>
    public static string Folder
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Shura.slnx")))
            {
                dir = dir.Parent;
            }
            if (dir is null)
            {
                throw new InvalidOperationException(
                    $"Cannot find the repository root (Shura.slnx) above {AppContext.BaseDirectory}.");
            }
            string folder = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "elections"));
            if (!Directory.Exists(folder))
            {
                throw new InvalidOperationException(
                    $"The real election files are missing: expected them in {folder}, that is ../shared/data/elections " +
                    "beside the repository. Clone the repository next to the shared folder (as CI does) and run again.");
            }
            return folder;
        }
    }

    public static string PathOf(string name) => Path.Combine(Folder, name);

    /// <summary>The file's SHA-256 as its README publishes it.</summary>
    public static string PublishedSha256(string name) => Sha256[name];

    public static string ActualSha256(string name) =>
        Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(PathOf(name))));

    /// <summary>Reads a file after checking its checksum, so an edited file cannot pass unnoticed.</summary>
    public static BallotBox Read(string name)
    {
        Assert.Equal(PublishedSha256(name), ActualSha256(name));
        using var reader = new StreamReader(PathOf(name));
        var reading = BallotFiles.Read(reader, name, BallotFormat.PrefLib, BallotKind.Rankings);
        Assert.Null(reading.Error);
        return ((RankedBallotFile)reading.File!).Ballots;
    }
}

using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Dapper;
using SkiaSharp;
using Shura.Web.Tests.Support;

namespace Shura.Web.Tests.Feed;

/// <summary>
/// Images in posts (DESIGN §7): what is kept is pixels, re-encoded, with every metadata block gone.
/// The metadata is written into the test files, and read back from the bytes the store keeps, by
/// exiftool — a reader we did not write. Files that are not images, too large, or claim too many
/// pixels are refused with a stable code, and nothing is stored.
/// </summary>
public class ImagesTests
{
    public static TheoryData<string> Engines => Support.Engines.All;

    private sealed record Place(TestServer Server, Api Api, string Council, Person Author, Person Other, string Post);

    private static async Task<Place> PostAsync(TestServer server, string visibility = "public")
    {
        var api = server.Api();
        var author = await api.RegisterAsync("Shirin");
        var other = await api.RegisterAsync("Reza");
        string council = await api.CreateCouncilAsync(author, Api.QuickSettings(voting: "P1D", visibility: visibility, join: visibility == "public" ? "open" : "invitation"));
        if (visibility == "public")
        {
            await api.JoinAsync(council, other);
        }
        string post = (await api.PostAsync($"/councils/{council}/posts", new { kind = "report", title = "The march", text = "Thousands came." }, author)).Ok().Id;
        return new Place(server, api, council, author, other, post);
    }

    private static Task<Reply> UploadAsync(Place p, byte[] file, string contentType, Person? who = null, string description = "") =>
        p.Api.UploadImageAsync(p.Post, who ?? p.Author, file, contentType, description);

    /// <summary>A picture drawn here: a gradient, so the encoder has something to keep.</summary>
    private static byte[] Picture(int width, int height, SKEncodedImageFormat format, bool transparent = false)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, transparent ? SKAlphaType.Premul : SKAlphaType.Opaque));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, new SKColor((byte)(x * 255 / width), (byte)(y * 255 / height), 120, transparent && x < width / 2 ? (byte)80 : (byte)255));
            }
        }
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(format, 90).ToArray();
    }

    /// <summary>Runs exiftool, and fails the test with its words if it fails.</summary>
    private static string ExifTool(params string[] args)
    {
        var start = new ProcessStartInfo("exiftool") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail("exiftool is missing: test.sh installs it (Debian: apt-get install libimage-exiftool-perl)");
            throw;
        }
        using (process)
        {
            string output = process.StandardOutput.ReadToEnd();
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"exiftool {string.Join(' ', args)}: {errors}");
            return output;
        }
    }

    /// <summary>A file with a GPS position, a camera, a time and an XMP author written into it by exiftool.</summary>
    private static byte[] WithMetadata(byte[] picture, string extension, int orientation = 1)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("shura-image-").FullName, "photo." + extension);
        File.WriteAllBytes(path, picture);
        ExifTool("-overwrite_original", "-GPSLatitude=35.6892", "-GPSLatitudeRef=N", "-GPSLongitude=51.3890", "-GPSLongitudeRef=E",
            "-Make=Leak Phones", "-Model=Model L", "-DateTimeOriginal=2026:09:16 14:30:00", "-XMP-dc:Creator=Shirin Ahmadi", $"-Orientation#={orientation}", path);
        return File.ReadAllBytes(path);
    }

    /// <summary>Every tag exiftool finds in <paramref name="bytes"/>, by group and name.</summary>
    private static Dictionary<string, JsonElement> Tags(byte[] bytes)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("shura-image-").FullName, "kept");
        File.WriteAllBytes(path, bytes);
        var tags = JsonDocument.Parse(ExifTool("-j", "-G", "-a", path)).RootElement[0];
        return tags.EnumerateObject().ToDictionary(t => t.Name, t => t.Value.Clone());
    }

    private static byte[] Stored(TestServer server, string image)
    {
        using var c = server.Database.OpenConnection();
        return c.QuerySingle<byte[]>("SELECT b.bytes FROM images i JOIN image_bytes b ON b.hash = i.hash WHERE i.id = @image", new { image });
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_photo_with_a_gps_position_is_kept_without_it_nor_any_other_metadata(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        var p = await PostAsync(server);
        byte[] photo = WithMetadata(Picture(64, 48, SKEncodedImageFormat.Jpeg), "jpg");
        var before = Tags(photo);
        Assert.Contains(before.Keys, k => k.EndsWith(":GPSLatitude", StringComparison.Ordinal));
        Assert.Contains(before.Keys, k => k.StartsWith("XMP", StringComparison.Ordinal));

        string image = (await UploadAsync(p, photo, "image/jpeg", description: "The crowd at the square")).Ok().Id;

        byte[] kept = Stored(server, image);
        var after = Tags(kept);
        Assert.DoesNotContain(after.Keys, k => k.Contains("GPS", StringComparison.Ordinal));
        Assert.DoesNotContain(after.Keys, k => k.StartsWith("EXIF:", StringComparison.Ordinal) || k.StartsWith("XMP", StringComparison.Ordinal)
            || k.StartsWith("IPTC:", StringComparison.Ordinal) || k.StartsWith("MakerNotes:", StringComparison.Ordinal));
        Assert.DoesNotContain("Leak Phones", System.Text.Encoding.Latin1.GetString(kept), StringComparison.Ordinal);
        Assert.DoesNotContain("Shirin Ahmadi", System.Text.Encoding.Latin1.GetString(kept), StringComparison.Ordinal);
        Assert.Equal("JPEG", after["File:FileType"].GetString());
        using (var decoded = SKBitmap.Decode(kept))
        {
            Assert.Equal((64, 48), (decoded.Width, decoded.Height));
        }

        // Served as kept, to readers of the council, and listed with its post and its description.
        var served = await server.Client.GetAsync($"/api/v1/images/{image}");
        Assert.Equal(kept, await served.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/jpeg", served.Content.Headers.ContentType!.MediaType);
        var listed = (await p.Api.GetAsync($"/posts/{p.Post}")).Ok().Body.GetProperty("images")[0];
        Assert.Equal((image, 64, 48, "The crowd at the square"), (listed.GetProperty("id").GetString(), listed.GetProperty("width").GetInt32(),
            listed.GetProperty("height").GetInt32(), listed.GetProperty("description").GetString()));
        string page = await server.Client.GetStringAsync($"/posts/{p.Post}");
        Assert.Contains($"src=\"/images/{image}\"", page, StringComparison.Ordinal);
        Assert.Contains("alt=\"The crowd at the square\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_transparent_png_stays_a_png_without_its_metadata_and_a_turned_photo_is_kept_upright()
    {
        await using var server = await TestServer.StartAsync();
        var p = await PostAsync(server);

        string png = (await UploadAsync(p, WithMetadata(Picture(30, 20, SKEncodedImageFormat.Png, transparent: true), "png"), "image/png")).Ok().Id;
        var tags = Tags(Stored(server, png));
        Assert.Equal("PNG", tags["File:FileType"].GetString());
        Assert.DoesNotContain(tags.Keys, k => k.Contains("GPS", StringComparison.Ordinal) || k.StartsWith("XMP", StringComparison.Ordinal) || k.StartsWith("EXIF:", StringComparison.Ordinal));

        // Orientation 6: the camera says "turn 90° clockwise to view"; the tag goes, so the pixels are turned.
        string turned = (await UploadAsync(p, WithMetadata(Picture(40, 20, SKEncodedImageFormat.Jpeg), "jpg", orientation: 6), "image/jpeg")).Ok().Id;
        using var upright = SKBitmap.Decode(Stored(server, turned));
        Assert.Equal((20, 40), (upright.Width, upright.Height));
        Assert.DoesNotContain(Tags(Stored(server, turned)).Keys, k => k.EndsWith(":Orientation", StringComparison.Ordinal));

        // A large photo is kept at most 2048 pixels on its longest side.
        string large = (await UploadAsync(p, Picture(3000, 1000, SKEncodedImageFormat.Jpeg), "image/jpeg")).Ok().Id;
        using var scaled = SKBitmap.Decode(Stored(server, large));
        Assert.Equal(2048, scaled.Width);
        Assert.InRange(scaled.Height, 682, 683);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Files_that_are_not_images_too_large_or_claiming_too_many_pixels_are_refused_and_nothing_is_stored(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        var p = await PostAsync(server);
        byte[] jpeg = Picture(64, 48, SKEncodedImageFormat.Jpeg);
        var before = Store.Snapshot(server.Database);

        Assert.Equal("not-an-image", (await UploadAsync(p, "<svg onload=alert(1)></svg>"u8.ToArray(), "image/png")).Code);
        Assert.Equal("not-an-image", (await UploadAsync(p, "%PDF-1.7 not a picture"u8.ToArray(), "image/jpeg")).Code);
        Assert.Equal("not-an-image", (await UploadAsync(p, [], "image/jpeg")).Code);
        Assert.Equal("not-an-image", (await UploadAsync(p, jpeg[..(jpeg.Length / 2)], "image/jpeg")).Code);
        Assert.Equal("too-many-pixels", (await UploadAsync(p, ClaimingPixels(30_000, 30_000), "image/png")).Code);
        Assert.Equal("image-too-large", (await UploadAsync(p, Padded(jpeg, Web.Feed.Images.MaxBytes + 1), "image/jpeg")).Code);
        Assert.Equal("body-too-large", (await UploadAsync(p, new byte[Web.Feed.Images.MaxBytes + 1024], "image/jpeg")).Code);
        Assert.Equal("not-author", (await UploadAsync(p, jpeg, "image/jpeg", p.Other)).Code);
        Assert.Equal(before, Store.Snapshot(server.Database));

        // Through the page: a post whose image is refused is not published either.
        using var visitor = await new Visitor(server.Client.BaseAddress!).SignInAsync(p.Author);
        before = Store.Snapshot(server.Database); // signing in started a session
        string form = $"/councils/{p.Council}/posts/new";
        var refused = await visitor.PostFileAsync(form, form, new() { ["kind"] = "news", ["title"] = "Not published", ["text"] = "Its image is not one." },
            "image", "GIF89a but not really"u8.ToArray(), "image/gif");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal(before, Store.Snapshot(server.Database));
        var published = await visitor.PostFileAsync(form, form, new() { ["kind"] = "news", ["title"] = "With a photo", ["text"] = "See.", ["description"] = "A banner" },
            "image", WithMetadata(jpeg, "jpg"), "image/jpeg");
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        string post = published.Headers.Location!.ToString().Split('/')[^1];
        string image = (await p.Api.GetAsync($"/posts/{post}")).Ok().Body.GetProperty("images")[0].GetProperty("id").GetString()!;
        Assert.DoesNotContain(Tags(Stored(server, image)).Keys, k => k.Contains("GPS", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_image_is_read_as_its_council_is_and_goes_with_its_post(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        var p = await PostAsync(server, visibility: "members");
        var outsider = await p.Api.RegisterAsync("Outsider");
        string image = (await UploadAsync(p, Picture(16, 16, SKEncodedImageFormat.Png), "image/png")).Ok().Id;

        using var member = await new Visitor(server.Client.BaseAddress!).SignInAsync(p.Author);
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync($"/images/{image}")).StatusCode);
        using var stranger = await new Visitor(server.Client.BaseAddress!).SignInAsync(outsider);
        var hidden = await stranger.GetAsync($"/images/{image}");
        var nowhere = await stranger.GetAsync($"/images/{Guid.NewGuid()}");
        static string Code(string problem) => JsonDocument.Parse(problem).RootElement.GetProperty("code").GetString()!;
        Assert.Equal((HttpStatusCode.NotFound, Code(await nowhere.Content.ReadAsStringAsync())), (hidden.StatusCode, Code(await hidden.Content.ReadAsStringAsync())));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync($"/api/v1/images/{image}")).StatusCode);

        (await p.Api.SendAsync(HttpMethod.Delete, $"/posts/{p.Post}", null, p.Author)).Ok();
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync($"/images/{image}")).StatusCode);
        using var c = server.Database.OpenConnection();
        Assert.Equal(0, c.ExecuteScalar<long>("SELECT COUNT(*) FROM image_bytes"));
    }

    /// <summary>A valid PNG whose header claims <paramref name="width"/> × <paramref name="height"/> pixels: a decompression bomb's shape.</summary>
    private static byte[] ClaimingPixels(int width, int height)
    {
        byte[] png = Picture(1, 1, SKEncodedImageFormat.Png);
        // IHDR starts at byte 8 (length) + 4 (type); width and height are its first 8 bytes, its CRC follows its 13 bytes.
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), height);
        uint crc = System.IO.Hashing.Crc32.HashToUInt32(png.AsSpan(12, 17));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), crc);
        return png;
    }

    private static byte[] Padded(byte[] jpeg, int length)
    {
        var padded = new byte[length];
        jpeg.CopyTo(padded, 0);
        return padded;
    }
}

using Shura.Core.Feed;
using SkiaSharp;

namespace Shura.Web.Feed;

/// <summary>
/// Images in posts, made safe to keep and to show (DESIGN §7): people post from places where a
/// photo's GPS tag can get them arrested. Whatever arrives is decoded by Skia and only its pixels
/// are kept — turned upright as the camera said, scaled down to at most <see cref="LongestSide"/>
/// and encoded anew (JPEG, or PNG when it has transparency). Skia's encoders write no metadata, so
/// EXIF, GPS, XMP, IPTC, comments and colour-profile names are gone with the file they came in.
/// Sizes are checked from the header before a single pixel is decoded, so a small file claiming a
/// huge picture (a decompression bomb) costs nothing.
/// </summary>
public static class Images
{
    /// <summary>The largest file accepted (a phone photo is 2–8 MB).</summary>
    public const int MaxBytes = 12 * 1024 * 1024;

    /// <summary>The most pixels a picture may claim (a 48-megapixel phone's full frame).</summary>
    public const long MaxPixels = 50_000_000;

    /// <summary>The longest side kept: enough for any screen, small enough for a feed.</summary>
    public const int LongestSide = 2048;

    /// <summary>The formats taken; anything else is not an image here.</summary>
    private static readonly Dictionary<SKEncodedImageFormat, string> Accepted = new()
    {
        [SKEncodedImageFormat.Jpeg] = "JPEG", [SKEncodedImageFormat.Png] = "PNG", [SKEncodedImageFormat.Webp] = "WebP", [SKEncodedImageFormat.Gif] = "GIF",
    };

    /// <summary>
    /// One picture decoded at a time per two cores: a full-size picture takes up to 200 MB while it
    /// is decoded, and uploads must not take the memory the votes need.
    /// </summary>
    private static readonly SemaphoreSlim Decoding = new(Math.Max(1, Environment.ProcessorCount / 2));

    /// <summary>An uploaded form file, cleaned.</summary>
    public static async Task<Result<CleanImage>> CleanAsync(IFormFile file, CancellationToken ct)
    {
        if (file.Length > MaxBytes)
        {
            return Refusal.Unprocessable(Codes.ImageTooLarge, $"An image is at most {MaxBytes / (1024 * 1024)} MB.", "image");
        }
        using var bytes = new MemoryStream();
        await file.CopyToAsync(bytes, ct);
        return await CleanAsync(bytes.ToArray(), ct);
    }

    /// <summary>A file cleaned when its turn to be decoded comes (<see cref="Decoding"/>).</summary>
    public static async Task<Result<CleanImage>> CleanAsync(byte[] file, CancellationToken ct)
    {
        await Decoding.WaitAsync(ct);
        try
        {
            return Clean(file);
        }
        finally
        {
            Decoding.Release();
        }
    }

    public static Result<CleanImage> Clean(byte[] file)
    {
        if (file.Length == 0)
        {
            return Refusal.Unprocessable(Codes.NotAnImage, "The image is empty.", "image");
        }
        if (file.Length > MaxBytes)
        {
            return Refusal.Unprocessable(Codes.ImageTooLarge, $"An image is at most {MaxBytes / (1024 * 1024)} MB; this one is {file.Length / (1024.0 * 1024):0.#} MB.", "image");
        }
        using var data = SKData.CreateCopy(file);
        using var codec = SKCodec.Create(data);
        if (codec is null || !Accepted.ContainsKey(codec.EncodedFormat))
        {
            return Refusal.Unprocessable(Codes.NotAnImage, "This is not a JPEG, PNG, WebP or GIF image.", "image");
        }
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0 || (long)info.Width * info.Height > MaxPixels)
        {
            return Refusal.Unprocessable(Codes.TooManyPixels,
                $"An image has at most {MaxPixels / 1_000_000} million pixels; this one claims {info.Width} × {info.Height}.", "image");
        }
        using var decoded = Decode(codec);
        if (decoded is null)
        {
            return Refusal.Unprocessable(Codes.NotAnImage, "The image could not be read: it is damaged or cut short.", "image");
        }
        using var upright = Upright(decoded, codec.EncodedOrigin);
        using var kept = ScaledDown(upright);
        bool opaque = info.AlphaType == SKAlphaType.Opaque;
        using var image = SKImage.FromBitmap(kept);
        using var encoded = image.Encode(opaque ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png, 85);
        return new CleanImage(encoded.ToArray(), opaque ? "image/jpeg" : "image/png", kept.Width, kept.Height);
    }

    /// <summary>
    /// The first frame's pixels, decoded already smaller where the format allows (JPEG decodes at 1/2,
    /// 1/4, 1/8); none for a file cut short, rather than a picture half grey.
    /// </summary>
    private static SKBitmap? Decode(SKCodec codec)
    {
        var info = codec.Info;
        // The smallest size the codec decodes to that is still no smaller than what is kept: the last step is a proper resampling.
        var size = info.Size;
        for (int eighths = 1; eighths < 8; eighths++)
        {
            var scaled = codec.GetScaledDimensions(eighths / 8f);
            if (Math.Max(scaled.Width, scaled.Height) >= Math.Min(LongestSide, Math.Max(info.Width, info.Height)))
            {
                size = scaled;
                break;
            }
        }
        foreach (var wanted in size.Width >= 1 && size.Height >= 1 && size != info.Size ? new[] { size, info.Size } : [info.Size])
        {
            var target = new SKImageInfo(wanted.Width, wanted.Height, SKColorType.Rgba8888,
                info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul);
            var bitmap = new SKBitmap(target);
            var result = codec.GetPixels(target, bitmap.GetPixels());
            if (result == SKCodecResult.Success)
            {
                return bitmap;
            }
            bitmap.Dispose();
            if (result != SKCodecResult.InvalidScale)
            {
                return null;
            }
        }
        return null;
    }

    /// <summary>The picture turned as the camera's orientation tag said, since the tag itself is not kept.</summary>
    private static SKBitmap Upright(SKBitmap bitmap, SKEncodedOrigin origin)
    {
        if (origin == SKEncodedOrigin.TopLeft)
        {
            return bitmap.Copy();
        }
        bool swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        int w = swap ? bitmap.Height : bitmap.Width, h = swap ? bitmap.Width : bitmap.Height;
        var turned = new SKBitmap(new SKImageInfo(w, h, bitmap.ColorType, bitmap.AlphaType));
        using var canvas = new SKCanvas(turned);
        canvas.SetMatrix(origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, w, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, w, -1, 0, h, 0, 0, 1),
            _ => new SKMatrix(0, 1, 0, -1, 0, h, 0, 0, 1), // LeftBottom
        });
        canvas.DrawBitmap(bitmap, 0, 0);
        return turned;
    }

    private static SKBitmap ScaledDown(SKBitmap bitmap)
    {
        int longest = Math.Max(bitmap.Width, bitmap.Height);
        if (longest <= LongestSide)
        {
            return bitmap.Copy();
        }
        double factor = (double)LongestSide / longest;
        var size = new SKImageInfo(Math.Max(1, (int)Math.Round(bitmap.Width * factor)), Math.Max(1, (int)Math.Round(bitmap.Height * factor)),
            bitmap.ColorType, bitmap.AlphaType);
        return bitmap.Resize(size, new SKSamplingOptions(SKCubicResampler.Mitchell)) ?? bitmap.Copy();
    }
}

namespace Shura.Cli.Tally;

/// <summary>
/// Shows how far the reading of a large ballot file has got, on standard error, and only when
/// standard error is a terminal: redirected output and scripts never see it.
/// </summary>
internal sealed class ReadingProgress : IDisposable
{
    private const long LargeFile = 4 * 1024 * 1024;

    private readonly string _name;
    private readonly long _length;
    private readonly TextWriter? _terminal;
    private readonly Timer? _timer;
    private Stream? _stream;
    private bool _shown;

    private ReadingProgress(string name, long length, TextWriter? terminal)
    {
        _name = name;
        _length = length;
        _terminal = terminal;
        if (terminal is not null)
        {
            _timer = new Timer(_ => Show(), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
        }
    }

    public static ReadingProgress Start(string name, long length, TextWriter stderr, bool quiet) =>
        new(name, length, quiet || length < LargeFile ? null : stderr);

    /// <summary>Returns <paramref name="stream"/>, whose position is then reported.</summary>
    public Stream Watch(Stream stream)
    {
        _stream = stream;
        return stream;
    }

    private void Show()
    {
        if (_stream is not { } stream || _terminal is null)
        {
            return;
        }
        long position;
        try
        {
            position = stream.Position;
        }
        catch (ObjectDisposedException)
        {
            return;
        }
        lock (_terminal)
        {
            _terminal.Write($"\rreading {_name}: {100 * position / Math.Max(1, _length),3} %");
            _shown = true;
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        if (_terminal is not null)
        {
            lock (_terminal)
            {
                if (_shown)
                {
                    _terminal.Write("\r\u001b[K"); // clear the progress line
                }
            }
        }
    }
}

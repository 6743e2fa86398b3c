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
    private readonly Func<long> _position;
    private bool _shown;

    private ReadingProgress(string name, long length, Func<long> position, TextWriter? terminal)
    {
        _name = name;
        _position = position;
        _length = length;
        _terminal = terminal;
        if (terminal is not null)
        {
            _timer = new Timer(_ => Show(), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
        }
    }

    /// <summary>Shows <paramref name="position"/>, the bytes read so far, every quarter of a second.</summary>
    public static ReadingProgress Start(string name, long length, Func<long> position, TextWriter stderr, bool quiet) =>
        new(name, length, position, quiet || length < LargeFile ? null : stderr);

    private void Show()
    {
        if (_terminal is null)
        {
            return;
        }
        long position = _position();
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

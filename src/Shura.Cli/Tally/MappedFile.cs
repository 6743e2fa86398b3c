using System.Buffers;
using System.IO.MemoryMappedFiles;

namespace Shura.Cli.Tally;

/// <summary>
/// A ballot file's bytes, mapped into memory rather than copied: the counting threads read the
/// pages the system already holds, and no fresh array of the file's size is filled page by page
/// first (which took 42 ms of a 0.6 s count of a 54 MB file). The file must not shrink while it is
/// counted, as with any mapped file.
/// </summary>
internal sealed unsafe class MappedFile : MemoryManager<byte>
{
    private readonly MemoryMappedFile? _file;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly byte* _start;
    private readonly int _length;

    private MappedFile(MemoryMappedFile? file, MemoryMappedViewAccessor? view, byte* start, int length)
    {
        _file = file;
        _view = view;
        _start = start;
        _length = length;
    }

    /// <summary>Maps <paramref name="path"/>, read only; null with the reason when it cannot be read.</summary>
    public static MappedFile? Open(string path, out string? problem)
    {
        problem = null;
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"{path}: {e.Message}";
            return null;
        }
        long length = stream.Length;
        if (length > Array.MaxLength)
        {
            stream.Dispose();
            problem = $"{path}: the file is {length:N0} bytes; at most {Array.MaxLength:N0} can be counted";
            return null;
        }
        if (length == 0)
        {
            stream.Dispose();
            return new MappedFile(null, null, null, 0); // nothing to map
        }
        var file = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        var view = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        byte* start = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        return new MappedFile(file, view, start + view.PointerOffset, (int)length);
    }

    public override Span<byte> GetSpan() => new(_start, _length);

    public override MemoryHandle Pin(int elementIndex = 0) => new(_start + elementIndex);

    public override void Unpin()
    {
        // Mapped memory never moves.
    }

    protected override void Dispose(bool disposing)
    {
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
        }
        _file?.Dispose();
    }
}

using System.Runtime.InteropServices;
using System.Text;

namespace Stemma.Cli;

/// <summary>Where the command writes and what it writes to: a terminal (and how wide) or a pipe or file.</summary>
/// <param name="OutputIsTerminal">Standard output is a terminal: colours and the terminal's width.</param>
/// <param name="ErrorIsTerminal">Standard error is a terminal: progress bars.</param>
/// <param name="Width">Columns of the terminal, when known.</param>
public sealed record TerminalSettings(bool OutputIsTerminal, bool ErrorIsTerminal, int? Width)
{
    /// <summary>Not a terminal: plain text at the default width (what tests and pipes get).</summary>
    public static TerminalSettings None { get; } = new(false, false, null);
}

/// <summary>
/// Standard output and error without System.Console's terminal set-up. Console initialises the terminal on its first
/// write (it also enters keypad transmit mode, printing ESC[?1h ESC=); a file stream over the descriptor writes only
/// what the command writes. The width comes from the TIOCGWINSZ ioctl for the same reason (Console.WindowWidth would
/// initialise the terminal too).
/// </summary>
internal static class StandardStreams
{
    public static TerminalSettings Detect()
    {
        var output = !Console.IsOutputRedirected;
        var error = !Console.IsErrorRedirected;
        return new TerminalSettings(output, error, output ? Width() : null);
    }

    public static StreamWriter Open(int descriptor)
    {
        if (OperatingSystem.IsWindows())
        {
            // Windows consoles have no keypad mode to switch; the console streams are right there.
            return new StreamWriter(descriptor == 1 ? Console.OpenStandardOutput() : Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true };
        }

        return new StreamWriter(new DescriptorStream(descriptor), new UTF8Encoding(false), bufferSize: 16 * 1024) { AutoFlush = true };
    }

    private static int? Width()
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                return Console.WindowWidth;
            }

            var request = OperatingSystem.IsLinux() ? 0x5413u : 0x40087468u;
            if (NativeMethods.GetWindowSize(1, request, out var size) == 0 && size.Columns > 0)
            {
                return size.Columns;
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or IOException)
        {
            // No ioctl here: fall back to COLUMNS or the default.
        }

        return int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0 ? columns : null;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct WindowSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort PixelWidth;
        public ushort PixelHeight;
    }

    /// <summary>
    /// Writes straight to a descriptor with write(2). A FileStream over a redirected file would write at its own
    /// offsets and leave the shared one behind, so what the shell writes next (`stemma … > out; echo >> out`) would
    /// land on top of the output.
    /// </summary>
    private sealed class DescriptorStream(int descriptor) : Stream
    {
        private const int Interrupted = 4;
        private const int TryAgain = 11;
        private const int BrokenPipe = 32;
        private bool closed;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            ArgumentNullException.ThrowIfNull(buffer);
            while (count > 0 && !closed)
            {
                var written = NativeMethods.Write(descriptor, ref buffer[offset], count);
                if (written < 0)
                {
                    var error = Marshal.GetLastPInvokeError();
                    if (error is Interrupted or TryAgain)
                    {
                        continue;
                    }

                    if (error == BrokenPipe)
                    {
                        // The reader has gone (`stemma … | head`): the rest of the output is dropped quietly, as other tools do.
                        closed = true;
                        return;
                    }

                    throw new IOException($"cannot write to descriptor {descriptor} (error {error})");
                }

                offset += (int)written;
                count -= (int)written;
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "write", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern nint Write(int descriptor, ref byte buffer, nint count);

        [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int GetWindowSize(int descriptor, nuint request, out WindowSize size);
    }
}

using System.Diagnostics;
using System.Net.Sockets;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>
/// Sockets and FIFOs in the source are skipped with a notice (README "What a snapshot holds"): shown only with
/// <c>-v</c>, never as a warning, and the run still exits 0 (a notice is not a partial snapshot).
/// </summary>
public sealed class SkippedEntryNoticeTests
{
    [Fact]
    public async Task A_socket_and_a_fifo_are_skipped_with_a_notice_not_a_warning_and_exit_0()
    {
        using var box = await Sandbox.CreateAsync();
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "a");
        var socketPath = Path.Combine(box.Source, "app.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        var fifoPath = Path.Combine(box.Source, "queue.fifo");
        using (var mkfifo = Process.Start("mkfifo", fifoPath))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var entries = Directory.GetFileSystemEntries(box.Source);
        Assert.Contains(socketPath, entries);
        Assert.Contains(fifoPath, entries);

        var quiet = await box.RunOkAsync(0, "snapshot", "create", box.Source);
        Assert.DoesNotContain("warning", quiet.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("app.sock", quiet.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("queue.fifo", quiet.StdErr, StringComparison.Ordinal);

        var verbose = await box.RunOkAsync(0, "-v", "snapshot", "create", box.Source);
        Assert.DoesNotContain("warning", verbose.StdErr, StringComparison.Ordinal);
        Assert.Contains($"vaultik: notice: {socketPath}: socket skipped", verbose.StdErr, StringComparison.Ordinal);
        Assert.Contains($"vaultik: notice: {fifoPath}: FIFO skipped", verbose.StdErr, StringComparison.Ordinal);

        var json = await box.RunOkAsync(0, "snapshot", "create", box.Source, "--json");
        Assert.DoesNotContain("app.sock", json.StdOut, StringComparison.Ordinal);
    }
}

using System.Diagnostics;
using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>
/// Names that are not valid UTF-8 (a lone 0xff, the invalid sequence 0xc3 0x28, a lone continuation byte 0x80)
/// in file names, directory names and symlink targets are backed up and restored byte-exact, shown in the
/// escaped form (<c>\xHH</c>, a literal backslash as <c>\\</c>), and selected by that form on the command line.
/// The tree is built and compared with python3 on raw bytes, independently of .NET's UTF-8 decoding.
/// </summary>
public abstract class RawNameTests : StoreScenarioTests
{
    /// <summary>Builds the tree under the directory given as argv[1] (all names as bytes).</summary>
    private const string Build = """
        import os, sys
        root = os.fsencode(sys.argv[1])
        def p(*parts): return os.path.join(root, *parts)
        open(p(b'bad\xffname.txt'), 'wb').write(b'lone ff\n')
        os.mkdir(p(b'dir\xc3\x28'))
        open(p(b'dir\xc3\x28', b'inner\x80.txt'), 'wb').write(b'inner 80\n')
        os.mkdir(p(b'dir\xc3\x28', b'sub\xff\xfe'))
        open(p(b'dir\xc3\x28', b'sub\xff\xfe', b'deep'), 'wb').write(b'deep\n')
        os.symlink(b'target\xff/\x80\xc3\x28', p(b'link-to-bad'))
        os.symlink(b'dir\xc3\x28/inner\x80.txt', p(b'link\x80name'))
        open(p(b'lit\\xff.txt'), 'wb').write(b'literal backslash x f f\n')
        open(p(b'lit\xff.txt'), 'wb').write(b'real ff byte\n')
        open(p(b'back\\\\slash'), 'wb').write(b'two backslashes\n')
        open(p(b'caf\xc3\xa9.txt'), 'wb').write(b'valid utf-8\n')
        os.link(p(b'bad\xffname.txt'), p(b'hard\xfe'))
        """;

    /// <summary>Prints one line per entry under argv[1]: the raw relative name, its type and content or target (as Python byte literals).</summary>
    private const string Dump = """
        import os, sys, stat
        root = os.fsencode(sys.argv[1])
        out = []
        for d, dirs, files in os.walk(root):
            for n in dirs + files:
                full = os.path.join(d, n)
                st = os.lstat(full)
                rel = os.path.relpath(full, root)
                if stat.S_ISLNK(st.st_mode): what = b'link ' + os.readlink(full)
                elif stat.S_ISDIR(st.st_mode): what = b'dir %o' % stat.S_IMODE(st.st_mode)
                else: what = b'file %o %d ' % (stat.S_IMODE(st.st_mode), st.st_nlink) + open(full, 'rb').read()
                out.append(repr(rel) + ' ' + repr(what))
        print('\n'.join(sorted(out)))
        """;

    [SkippableFact]
    public async Task Names_that_are_not_valid_utf8_back_up_with_exit_0_and_restore_byte_exact()
    {
        using var box = await BoxAsync();
        await PythonAsync(Build, box.Source);
        var source = await PythonAsync(Dump, box.Source);
        Assert.Contains("b'bad\\xffname.txt'", source, StringComparison.Ordinal);

        var created = await box.RunOkAsync(0, "snapshot", "create", box.Source);
        Assert.DoesNotContain("not valid UTF-8", created.StdErr, StringComparison.Ordinal);

        var target = box.Dir.Combine("r");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        Assert.Equal(source, await PythonAsync(Dump, Sandbox.Restored(target, box.Source)));
    }

    [SkippableFact]
    public async Task Escaped_names_select_paths_for_restore_and_fetch_and_a_literal_backslash_stays_itself()
    {
        using var box = await BoxAsync();
        await PythonAsync(Build, box.Source);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);

        // The real byte 0xff, typed as \xff; the text "\xff" (a literal backslash), typed as \\xff.
        var real = await box.RunOkAsync(0, "fetch", "latest", box.Source + "/lit\\xff.txt", "--identity", box.IdentityPath);
        Assert.Equal("real ff byte\n", real.StdOut);
        var literal = await box.RunOkAsync(0, "fetch", "latest", box.Source + "/lit\\\\xff.txt", "--identity", box.IdentityPath);
        Assert.Equal("literal backslash x f f\n", literal.StdOut);
        var inner = await box.RunOkAsync(0, "fetch", "latest", box.Source + "/dir\\xc3(/inner\\x80.txt", "--identity", box.IdentityPath);
        Assert.Equal("inner 80\n", inner.StdOut);

        // A partial restore of the non-UTF-8 directory by its escaped name restores that directory only, byte-exact.
        var target = box.Dir.Combine("r");
        await box.RunOkAsync(0, "restore", "latest", target, box.Source + "/dir\\xc3(", "--identity", box.IdentityPath);
        var restored = await PythonAsync(Dump, Sandbox.Restored(target, box.Source));
        var expected = string.Join('\n', (await PythonAsync(Dump, box.Source)).Split('\n').Where(l => l.StartsWith("b'dir\\xc3(", StringComparison.Ordinal)));
        Assert.Equal(expected, restored);

        // Listings show the escaped form: a missing neighbour's error names it escaped, one line.
        var missing = await box.RunOkAsync(1, "fetch", "latest", box.Source + "/nope\\xff", "--identity", box.IdentityPath);
        Assert.Contains("nope\\xff", missing.StdErr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task An_unchanged_second_run_reads_nothing_again()
    {
        using var box = await BoxAsync();
        await PythonAsync(Build, box.Source);
        var first = Stats(await box.RunOkAsync(0, "snapshot", "create", box.Source, "--json"));
        Assert.True(first.GetProperty("bytes_read").GetInt64() > 0);
        var second = Stats(await box.RunOkAsync(0, "snapshot", "create", box.Source, "--json"));
        Assert.Equal(0, second.GetProperty("files_new").GetInt64());
        Assert.Equal(0, second.GetProperty("files_changed").GetInt64());
        Assert.Equal(first.GetProperty("files_scanned").GetInt64(), second.GetProperty("files_unchanged").GetInt64());
        Assert.Equal(0, second.GetProperty("bytes_read").GetInt64());
        Assert.Equal(0, second.GetProperty("bytes_new").GetInt64());
    }

    private static JsonElement Stats(CliResult result)
    {
        var root = JsonDocument.Parse(result.StdOut).RootElement;
        return root.ValueKind == JsonValueKind.Array ? root[0] : root;
    }

    private static async Task<string> PythonAsync(string script, string argument)
    {
        var info = new ProcessStartInfo("python3", ["-c", script, argument]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"python3 failed: {error}");
        return (await output).TrimEnd('\n');
    }
}

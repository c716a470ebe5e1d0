using System.Text;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>Nothing about the backed-up files may appear in plaintext anywhere in the store.</summary>
public sealed class StorePrivacyTests
{
    [Fact]
    public async Task No_file_name_or_content_marker_appears_in_any_stored_object()
    {
        using var box = await Sandbox.CreateAsync();
        const string nameMarker = "zebra-quasar-name-marker";
        const string contentMarker = "CONTENT-MARKER-7f3a9c-do-not-leak";
        Directory.CreateDirectory(Path.Combine(box.Source, nameMarker + "-dir"));
        File.WriteAllText(Path.Combine(box.Source, nameMarker + ".txt"), string.Concat(Enumerable.Repeat(contentMarker + "\n", 1000)));
        File.CreateSymbolicLink(Path.Combine(box.Source, "link"), nameMarker + "-target");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);

        var objects = Directory.EnumerateFiles(box.StorePath, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(objects, o => o.Contains("/blobs/", StringComparison.Ordinal));
        Assert.Contains(objects, o => o.EndsWith("manifest.json.zst", StringComparison.Ordinal));
        Assert.Contains(objects, o => o.EndsWith("db.zst.age", StringComparison.Ordinal));
        foreach (var path in objects)
        {
            Assert.DoesNotContain(nameMarker, path, StringComparison.Ordinal);
            var bytes = File.ReadAllBytes(path);
            foreach (var marker in new[] { nameMarker, contentMarker, "src" + "/" + nameMarker })
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(marker)) < 0, $"{marker} found in {path}");
            }
        }

        // The manifest is readable without a key and lists blobs, but nothing about files.
        var manifest = objects.Single(o => o.EndsWith("manifest.json.zst", StringComparison.Ordinal));
        var json = Encoding.UTF8.GetString(ZstdSharp.Decompressor.GetDecompressedSize(File.ReadAllBytes(manifest)) > 0
            ? new ZstdSharp.Decompressor().Unwrap(File.ReadAllBytes(manifest)).ToArray()
            : []);
        Assert.Contains("\"blobs\"", json);
        Assert.DoesNotContain(box.Source, json);
    }
}

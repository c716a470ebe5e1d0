using Vaultik.Core.Metadata;
using Vaultik.Core.Packing;
using Vaultik.Core.Platform;
using Vaultik.Core.Restore;

namespace Vaultik.Core.Tests.Restore;

/// <summary>
/// A local user who can write a directory inside the restore target swaps a name between two restore steps:
/// every later step works on the inode the restore made, so the swapped-in entry is refused, never changed.
/// </summary>
public sealed class InodeSwapTests : IDisposable
{
    private const int Attacker = 4242;
    private static readonly int SetuidRootMode = Convert.ToInt32("4755", 8);

    private readonly string _dir = Directory.CreateTempSubdirectory("vaultik-swap-").FullName;

    private string Target => Path.Combine(_dir, "t");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string At(string relative) => Path.Combine(Target, relative);

    /// <summary>The attacker renames the restored entry away and puts their own file (mode 0755, their owner) in its place.</summary>
    private void Swap(string relative, string content = "#!/bin/sh\nid\n")
    {
        System.IO.File.Move(At(relative), At(relative) + ".moved");
        System.IO.File.WriteAllText(At(relative), content);
        System.IO.File.SetUnixFileMode(At(relative), (UnixFileMode)Convert.ToInt32("755", 8));
        Posix.Lchown(At(relative), Attacker, Attacker);
    }

    private static SnapshotEntry File(string path, int mode = 0x800 | 0x1ED) => new(1, path, MetadataSchema.TypeFile, mode, 0, 0, 4, 1_000_000_000, null, null);

    private void AssertUntouchedAttackerFile(string relative)
    {
        var status = Posix.Lstat(At(relative));
        Assert.Equal(Attacker, status.Uid);
        Assert.Equal(Convert.ToInt32("755", 8), status.Mode);
    }

    [Fact]
    public void H1_metadata_is_not_applied_to_a_file_swapped_in_after_creation()
    {
        using var tree = new TargetTree(Target, overwrite: false);
        tree.CreateFile("d/f").Dispose();
        Swap("d/f");

        var error = Assert.Throws<IOException>(() => new EntryMetadata(tree, restoreOwnership: true).Apply(File("d/f"), isLink: false));
        Assert.Equal("cannot restore d/f: it was replaced while restoring", error.Message);
        AssertUntouchedAttackerFile("d/f");
        Assert.Throws<IOException>(() => tree.SetMode("d/f", SetuidRootMode));
        Assert.Throws<IOException>(() => tree.SetOwner("d/f", 0, 0));
        AssertUntouchedAttackerFile("d/f");
    }

    [Fact]
    public void H1_metadata_still_reaches_the_restored_file_through_its_inode()
    {
        using var tree = new TargetTree(Target, overwrite: false);
        tree.EnsureDirectory("d");
        tree.CreateFile("d/f").Dispose();
        tree.CreateSymlink("d/l", "f");
        var metadata = new EntryMetadata(tree, restoreOwnership: true);
        metadata.Apply(File("d/f"), isLink: false);
        metadata.Apply(new SnapshotEntry(2, "d/l", MetadataSchema.TypeSymlink, 0x1FF, 7, 8, 0, 2_000_000_000, "f", null), isLink: true);
        metadata.Apply(new SnapshotEntry(3, "d", MetadataSchema.TypeDirectory, 0x1C0, 0, 0, 0, 3_000_000_000, null, null), isLink: false);

        Assert.Equal(SetuidRootMode, Posix.Lstat(At("d/f")).Mode);
        Assert.Equal(1_000_000_000, Posix.Lstat(At("d/f")).MtimeNs);
        Assert.Equal((7L, 8L, 2_000_000_000L), (Posix.Lstat(At("d/l")).Uid, Posix.Lstat(At("d/l")).Gid, Posix.Lstat(At("d/l")).MtimeNs));
        Assert.Equal(0x1C0, Posix.Lstat(At("d")).Mode);
    }

    [Fact]
    public void H1_a_swapped_symlink_is_not_given_the_snapshot_owner()
    {
        using var tree = new TargetTree(Target, overwrite: false);
        tree.CreateSymlink("d/l", "f");
        Swap("d/l");
        Assert.Throws<IOException>(() => tree.SetOwner("d/l", 0, 0));
        AssertUntouchedAttackerFile("d/l");
    }

    private static SnapshotEntry File(long id, string path, long size) => new(id, path, MetadataSchema.TypeFile, 0x800 | 0x1ED, 0, 0, size, 1_000_000_000, null, null);

    /// <summary>A writer that holds one file open at a time, so a second file pushes the first out (to be reopened by name).</summary>
    private static FilesWriter PushingOut(TargetTree tree, SnapshotEntry first, SnapshotEntry second)
    {
        var writer = new FilesWriter(tree, maxOpenHandles: 1, remember: _ => false);
        writer.Add(first);
        writer.Add(second);
        writer.Write(first.Id, "secr"u8, 0);
        writer.Write(second.Id, "ot"u8, 0);
        return writer;
    }

    [Fact]
    public void H2_content_is_not_written_into_a_file_swapped_in_before_a_reopen()
    {
        using var tree = new TargetTree(Target, overwrite: false);
        var writer = PushingOut(tree, File(1, "d/f", 8), File(2, "d/g", 4));
        Swap("d/f", "mine");

        Assert.Throws<IOException>(() => writer.Write(1, "et!!"u8, 4));
        Assert.Equal("mine", System.IO.File.ReadAllText(At("d/f")));
    }

    [Fact]
    public void H2_content_is_not_written_through_a_hard_link_swapped_in_before_a_reopen()
    {
        var outside = Path.Combine(_dir, "passwd");
        System.IO.File.WriteAllText(outside, "root:x:0:0");
        using var tree = new TargetTree(Target, overwrite: false);
        var writer = PushingOut(tree, File(1, "d/f", 8), File(2, "d/g", 4));
        System.IO.File.Delete(At("d/f"));
        Posix.CreateHardLink(outside, At("d/f"));

        Assert.Throws<IOException>(() => writer.Write(1, "et!!"u8, 4));
        Assert.Equal("root:x:0:0", System.IO.File.ReadAllText(outside));
    }

    [Fact]
    public void H2_a_name_swapped_while_the_file_is_open_leaves_the_swapped_in_file_alone()
    {
        // The one-open path: content and metadata go on the descriptor the exclusive create returned, so a name
        // swapped after the create changes where nothing goes: the attacker's file keeps its content, owner and mode.
        using var tree = new TargetTree(Target, overwrite: false);
        var metadata = new EntryMetadata(tree, restoreOwnership: true);
        var writer = new FilesWriter(tree, maxOpenHandles: 8, remember: _ => false, finish: (handle, file) => metadata.ApplyTo(handle, file));
        var file = File(1, "d/f", 8);
        writer.Add(file);
        writer.Write(1, "secr"u8, 0);
        Swap("d/f");

        writer.Write(1, "et!!"u8, 4);
        Assert.True(writer.MetadataApplied(1));
        AssertUntouchedAttackerFile("d/f");
        Assert.Equal("#!/bin/sh\nid\n", System.IO.File.ReadAllText(At("d/f")));
        Assert.Equal("secret!!", System.IO.File.ReadAllText(At("d/f") + ".moved"));
        Assert.Equal(0x800 | 0x1ED, Posix.Lstat(At("d/f") + ".moved").Mode);
    }

    [Fact]
    public void H2_a_hard_link_made_to_the_open_file_does_not_get_the_snapshot_owner_or_set_id_bits()
    {
        // Where fs.protected_hardlinks=0, a writer of any directory on the target's file system can link the new
        // inode while it is written and keep that name outside the target's directory permissions: the one-open
        // path must not then make it setuid (the link is made here as root, which the sysctl would also allow).
        using var tree = new TargetTree(Target, overwrite: false);
        var metadata = new EntryMetadata(tree, restoreOwnership: true);
        var writer = new FilesWriter(tree, maxOpenHandles: 8, remember: _ => false, finish: (handle, file) => metadata.ApplyTo(handle, file));
        writer.Add(File(1, "d/f", 8));
        writer.Write(1, "secr"u8, 0);
        var kept = Path.Combine(_dir, "kept");
        Posix.CreateHardLink(At("d/f"), kept);

        var refused = Assert.Throws<IOException>(() => writer.Write(1, "et!!"u8, 4));
        Assert.Contains("replaced while restoring", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, Posix.Lstat(kept).Mode & 0xC00);
    }

    [Fact]
    public void H2_a_hard_link_made_before_the_file_is_pushed_out_is_refused_rather_than_taken_as_its_link_count()
    {
        using var tree = new TargetTree(Target, overwrite: false);
        var writer = new FilesWriter(tree, maxOpenHandles: 1, remember: _ => false);
        writer.Add(File(1, "d/f", 8));
        writer.Add(File(2, "d/g", 4));
        writer.Write(1, "secr"u8, 0);
        Posix.CreateHardLink(At("d/f"), Path.Combine(_dir, "kept"));

        var refused = Assert.Throws<IOException>(() => writer.Write(2, "ot"u8, 0));
        Assert.Contains("replaced while restoring", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void H3_an_existing_file_is_adopted_only_when_no_one_else_can_change_it()
    {
        var content = "same content"u8.ToArray();
        var chunks = new List<PackedChunk> { new(Hash256.Compute(content), 0, 0, content.Length) };
        Directory.CreateDirectory(Target);
        void Plant(string name, string mode)
        {
            System.IO.File.WriteAllBytes(At(name), content);
            System.IO.File.SetUnixFileMode(At(name), (UnixFileMode)Convert.ToInt32(mode, 8));
        }

        Plant("group-writable", "664");
        Plant("other-writable", "646");
        Plant("linked", "755");
        Posix.CreateHardLink(At("linked"), At("linked-elsewhere"));
        Plant("good", "755");
        using var tree = new TargetTree(Target, overwrite: true);

        Assert.False(tree.Matches("group-writable", content.Length, chunks));
        Assert.False(tree.Matches("other-writable", content.Length, chunks));
        Assert.False(tree.Matches("linked", content.Length, chunks));
        Assert.True(tree.Matches("good", content.Length, chunks));

        // Adopted, then swapped after planning: the mode and owner are refused like for a created file.
        Swap("good");
        Assert.Throws<IOException>(() => new EntryMetadata(tree, restoreOwnership: true).Apply(File("good"), isLink: false));
        AssertUntouchedAttackerFile("good");
    }

    [Fact]
    public void H3_with_ownership_restored_an_existing_file_must_already_have_the_snapshot_owner()
    {
        var content = "same content"u8.ToArray();
        var chunks = new List<PackedChunk> { new(Hash256.Compute(content), 0, 0, content.Length) };
        Directory.CreateDirectory(Target);
        System.IO.File.WriteAllBytes(At("planted"), content);
        System.IO.File.SetUnixFileMode(At("planted"), (UnixFileMode)Convert.ToInt32("755", 8));
        Posix.Lchown(At("planted"), Attacker, Attacker);
        using var tree = new TargetTree(Target, overwrite: true);

        Assert.False(tree.Matches("planted", content.Length, chunks, owner: (0, 0)));
        Assert.True(tree.Matches("planted", content.Length, chunks, owner: (Attacker, Attacker)));
    }

    [Fact]
    public void M1_a_hard_link_is_not_made_to_a_file_swapped_in_after_creation()
    {
        using var tree = new TargetTree(Target, overwrite: false);
        tree.CreateFile("d/a").Dispose();
        Swap("d/a");
        Assert.Throws<IOException>(() => tree.CreateHardLink("d/a", "b"));
        Assert.False(Path.Exists(At("b")));
        Assert.Equal(1UL, Posix.Lstat(At("d/a")).LinkCount);
    }

    [Fact]
    public void M2_a_tree_deeper_than_the_bound_is_reported_and_left_without_exhausting_the_stack()
    {
        var deep = Target + "/x";
        Directory.CreateDirectory(deep);
        using (var handle = PosixAt.OpenDirectoryNoFollow(deep))
        {
            var current = handle;
            for (var i = 0; i < TreeRemoval.MaxDepth + 10; i++)
            {
                PosixAt.MakeDirectory(current, "d", "d");
                var next = PosixAt.TryOpenChildDirectory(current, "d", out _)!;
                if (current != handle)
                {
                    current.Dispose();
                }

                current = next;
            }

            current.Dispose();
        }

        using var tree = new TargetTree(Target, overwrite: true);
        var error = Assert.Throws<IOException>(() => tree.Remove("x"));
        Assert.Contains($"cannot delete x: deeper than {TreeRemoval.MaxDepth} levels", error.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(deep));

        Directory.CreateDirectory(Target + "/y/a/b/c");
        System.IO.File.WriteAllText(Target + "/y/a/b/c/f", "x");
        System.IO.File.WriteAllText(Target + "/y/a/g", "x");
        tree.Remove("y");
        Assert.False(Path.Exists(Target + "/y"));
    }

    [Fact]
    public void L5_a_target_of_the_root_directory_stays_the_root()
    {
        using var tree = new TargetTree("/", overwrite: true);
        Assert.Equal("/", tree.Root);
        tree.RefuseSymlinkedRoot();
        Assert.True(tree.HasEntries());
        Assert.True(tree.IsDirectory("tmp"));
    }
}

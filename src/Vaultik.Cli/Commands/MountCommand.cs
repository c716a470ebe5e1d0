using System.CommandLine;
using Vaultik.Core.Catalog;
using Vaultik.Core.Layout;
using Vaultik.Core.Mount;
using Vaultik.Core.Mount.Fuse;
using Vaultik.Core.Platform;

namespace Vaultik.Cli.Commands;

/// <summary>
/// <c>vaultik mount &lt;MOUNTPOINT&gt; [--host H] [--name N] [--identity FILE]</c>: every snapshot (or those of
/// the host and name given) as a read-only FUSE filesystem, served in the foreground until it is unmounted
/// (SIGINT/SIGTERM or <c>fusermount3 -u</c>): exit 0 then.
/// </summary>
internal static class MountCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var mountpoint = new Argument<string>("MOUNTPOINT") { Description = "An empty directory to mount the snapshots on" };
        var host = new Option<string?>("--host") { Description = "Only the snapshots of this host" };
        var name = new Option<string?>("--name", "-n") { Description = "Only the snapshots of this name" };
        var identity = new Option<string?>("--identity", "-i") { Description = "age identity file (default: $VAULTIK_AGE_SECRET_KEY)" };
        var command = new Command("mount", "Mount the snapshots read-only (FUSE) in the foreground; unmount with Ctrl-C, SIGTERM or fusermount3 -u");
        command.Arguments.Add(mountpoint);
        foreach (var option in new Option[] { host, name, identity })
        {
            command.Options.Add(option);
        }

        verbs.Bind(command, async (ctx, ct) =>
        {
            var at = FuseHost.CheckMountPoint(ctx.Parse.GetValue(mountpoint)!);
            var identities = ctx.LoadIdentities(ctx.Parse.GetValue(identity));
            var store = await ctx.OpenFirstWrittenAsync([StoreLayout.BlobsPrefix, StoreLayout.MetadataPrefix], ct).ConfigureAwait(false);
            var entries = await new SnapshotCatalog(store, store.Tampered).ListAsync(ctx.Parse.GetValue(host), ctx.Parse.GetValue(name), ct).ConfigureAwait(false);
            // Headers only (no blob lists held): a snapshot's whole manifest is read when it is first opened.
            var manifests = entries.Where(e => e.IsTrusted).Select(e => e.Manifest!).ToList();
            using var run = RunDirectory.Create("mount", ctx.Err.Warning);
            var source = new StoreMountSource(store, identities, ct);
            using var fs = new MountFileSystem(new MountLayout(manifests), source, run.Path, ctx.Err.Warning);
            FuseHost.Run(fs, at, () => ctx.Err.Info($"mounted {manifests.Count} snapshot(s) read-only at {at}; unmount with Ctrl-C, SIGTERM or fusermount3 -u {at}"), ct);
            ctx.Err.Info($"unmounted {at} ({source.BytesFetched} bytes of blob data fetched)");
            return ExitCodes.Success;
        });
        return command;
    }
}

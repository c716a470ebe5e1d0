using Vaultik.Core.Storage;

namespace Vaultik.Core.Prune;

/// <summary>
/// Keeps prunes and purges off objects S3 Object Lock still retains: a stat before the delete (its retain-until
/// date lies in the future) or the store refusing the delete (<see cref="ObjectRetainedException"/>) leaves the
/// object in place and reports it as a <see cref="RetainedObject"/>. Stores without Object Lock report none.
/// </summary>
internal sealed class RetentionGuard(IObjectStore store)
{
    /// <summary>The object's retention when it is still in force now; null when it is not retained (or gone).</summary>
    public async Task<RetainedObject?> RetainedAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var info = await store.StatAsync(key, cancellationToken).ConfigureAwait(false);
            return info.IsRetainedAt(DateTimeOffset.UtcNow) ? new RetainedObject(key, info.RetainUntil) : null;
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Deletes the object unless Object Lock retains it; returns the retention that stopped it, or null once deleted.</summary>
    public async Task<RetainedObject?> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (ObjectRetainedException ex)
        {
            return new RetainedObject(key, ex.RetainUntil);
        }
    }

    /// <summary>The plan with every object Object Lock retains moved out of its delete lists into <see cref="PrunePlan.Retained"/>.</summary>
    public async Task<PrunePlan> HoldBackAsync(PrunePlan plan, CancellationToken cancellationToken)
    {
        var retained = new List<RetainedObject>(plan.Retained);
        async Task<List<ObjectInfo>> Free(IReadOnlyList<ObjectInfo> items)
        {
            var free = new List<ObjectInfo>(items.Count);
            foreach (var item in items)
            {
                if (await RetainedAsync(item.Key, cancellationToken).ConfigureAwait(false) is { } held)
                {
                    retained.Add(held);
                }
                else
                {
                    free.Add(item);
                }
            }

            return free;
        }

        var metadata = await Free(plan.MetadataToDelete).ConfigureAwait(false);
        var blobs = await Free(plan.BlobsToDelete).ConfigureAwait(false);
        return plan with { BlobsToDelete = blobs, MetadataToDelete = metadata, Retained = retained };
    }
}

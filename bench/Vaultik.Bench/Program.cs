using BenchmarkDotNet.Running;
using Vaultik.Bench;

// `quick` prints best-of-N MB/s for each primitive in a few seconds; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "quick")
{
    QuickThroughput.Run(Console.Out);
    return 0;
}

// `recipients` prints the header size and median encrypt/decrypt time of a file to one recipient of each type.
if (args.Length > 0 && args[0] == "recipients")
{
    QuickRecipients.Run(Console.Out);
    return 0;
}

// `probe-eval DIR` compares the stored size of compression auto (several probe settings) with max on DIR's files.
if (args.Length > 0 && args[0] == "probe-eval")
{
    return ProbeEvaluation.Run(args, Console.Out);
}

// `maintenance-store DIR [SNAPSHOTS] [BLOBS] [WINDOW]` writes the synthetic store of bench/maintenance-scale.sh.
if (args.Length > 0 && args[0] == "maintenance-store")
{
    return MaintenanceStore.Run(args, Console.Out);
}

// `primitives DIR [--level N] [--warmup-mb N]` prints the one-core cost of each primitive over a corpus (bench/compare.sh runs it).
if (args.Length > 0 && args[0] == "primitives")
{
    return PrimitiveCosts.Run(args, Console.Out);
}

BenchmarkSwitcher.FromAssembly(typeof(BenchData).Assembly).Run(args);
return 0;

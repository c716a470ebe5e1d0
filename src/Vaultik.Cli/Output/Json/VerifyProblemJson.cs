namespace Vaultik.Cli.Output;

/// <summary>One verification problem: the object, what is wrong, and the snapshots that need it.</summary>
internal sealed record VerifyProblemJson(string Object, string Problem, IReadOnlyList<string> Snapshots);

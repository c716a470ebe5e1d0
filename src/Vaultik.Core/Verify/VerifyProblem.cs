namespace Vaultik.Core.Verify;

/// <summary>One thing found wrong: which object, what is wrong, and which snapshots need it.</summary>
public sealed record VerifyProblem(string Object, string Problem, IReadOnlyList<string> Snapshots);

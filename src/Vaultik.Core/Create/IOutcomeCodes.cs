namespace Vaultik.Core.Create;

/// <summary>
/// The exit code an outcome will have, for the hooks' <c>VAULTIK_EXIT_CODE</c>. Only the CLI knows exit codes
/// (its ExitCodeMap implements this); Core asks it.
/// </summary>
public interface IOutcomeCodes
{
    int For(CreateResult result);

    int For(Exception error);
}

using Vaultik.Cli;

return await VaultikApp.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);

using Shura.Cli;

return Shell.Run(args, Console.Out, Console.Error, Console.IsErrorRedirected);

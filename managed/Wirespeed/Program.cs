using System;
using System.IO;
using Wirespeed.Commands;
using Wirespeed.Configuration;

namespace Wirespeed;

/// <summary>Command-line entry: <c>wirespeed demo | run | simulate | replay | bench | soak | hdr | journal | check-config | fuzz</c>.</summary>
internal static class Program
{
    private static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    internal static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            output.Write(Usage.Text);
            return args.Length == 0 ? 2 : 0;
        }
        string command = args[0];
        ReadOnlySpan<string> rest = args.AsSpan(1);
        try
        {
            return command switch
            {
                "check-config" => CheckConfigCommand.Run(CommandArgs.Parse(command, rest, "print"), output, error),
                "demo" => DemoCommand.Run(CommandArgs.Parse(command, rest), output, error),
                "replay" => SoupBinReplayCommand.IsRequested(rest) ? SoupBinReplayCommand.Run(rest, output, error)
                                                                   : ReplayCommand.Run(CommandArgs.Parse(command, rest), output, error),
                "bench" => BenchCommand.Run(CommandArgs.Parse(command, rest, "check", "update", "quick"), output, error),
                "run" => RunCommand.Run(CommandArgs.Parse(command, rest, "one-way"), output, error),
                "hdr" => HdrCommand.Run(CommandArgs.Parse(command, rest), output),
                "journal" => JournalCommand.Run(CommandArgs.Parse(command, rest, "json"), output, error),
                "simulate" => rest.IndexOf("--soupbintcp-server") >= 0 ? SoupBinServeCommand.Run(CommandArgs.Parse(command, rest), output, error)
                                                                       : SimulateCommand.Run(CommandArgs.Parse(command, rest), output, error),
                "soak" => SoakCommand.Run(CommandArgs.Parse(command, rest), output, error),
                "fuzz" => FuzzCommand.Run(CommandArgs.Parse(command, rest, "no-minimize"), output),
                _ => throw new UsageException($"unknown command '{command}'. Run 'wirespeed help'."),
            };
        }
        catch (UsageException e)
        {
            error.WriteLine("wirespeed: " + e.Message);
            return 2;
        }
        catch (ConfigException e)
        {
            error.WriteLine("wirespeed: configuration error: " + e.Message);
            return 3;
        }
    }
}

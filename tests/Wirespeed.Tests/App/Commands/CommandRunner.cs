using System.IO;

namespace Wirespeed.Tests.App.Commands;

/// <summary>Runs the wirespeed command line in-process and captures what it prints.</summary>
internal static class CommandRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Wirespeed.Program.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}

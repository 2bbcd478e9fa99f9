using System;

namespace Wirespeed;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.Error.WriteLine("wirespeed: commands are being wired up");
        return args.Length == 0 ? 2 : 0;
    }
}

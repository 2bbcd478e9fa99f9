using BenchmarkDotNet.Running;

namespace Wirespeed.Benchmarks;

/// <summary>Runs the BenchmarkDotNet suites; arguments pass to BenchmarkSwitcher (e.g. --filter '*Itch*').</summary>
internal static class Program
{
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}

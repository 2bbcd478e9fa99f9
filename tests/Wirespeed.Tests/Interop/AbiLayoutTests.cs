using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.Interop;

/// <summary>
/// Every ABI struct's C# mirror has the size and field offsets <see cref="AbiLayout"/> states, and wirespeed_native.h
/// asserts exactly the same numbers under the same names: a field moved on either side fails here (and the header's
/// asserts fail the native build).
/// </summary>
public sealed class AbiLayoutTests
{
    private static string Header() => File.ReadAllText(Path.Combine(SharedData.RepoRoot, "native", "include", "wirespeed_native.h"));

    public static TheoryData<string> StructNames()
    {
        var data = new TheoryData<string>();
        foreach (var s in AbiLayout.Structs) data.Add(s.C);
        return data;
    }

    private static AbiLayout.Struct Find(string c) => Array.Find(AbiLayout.Structs, s => s.C == c)!;

    [Theory]
    [MemberData(nameof(StructNames))]
    public void The_mirror_has_the_stated_size(string c)
    {
        var s = Find(c);
        Assert.Equal(s.Size, Marshal.SizeOf(s.CSharp));
        Assert.Equal(s.Size, (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(s.CSharp).Invoke(null, null)!);
    }

    [Theory]
    [MemberData(nameof(StructNames))]
    public void Every_field_of_the_mirror_sits_at_the_stated_offset_and_none_is_left_unstated(string c)
    {
        var s = Find(c);
        var stated = new HashSet<string>(StringComparer.Ordinal);
        int last = -1;
        foreach (var f in s.Fields)
        {
            Assert.True(f.Offset > last, $"{f.Label(s)}: offset {f.Offset} is not after the field before (at {last}); list fields in order");
            last = f.Offset;
            if (f.CSharp is null) continue;
            Assert.True(stated.Add(f.CSharp), $"{f.Label(s)} stated twice");
            Assert.Equal(f.Offset, (int)Marshal.OffsetOf(s.CSharp, f.CSharp));
        }
        Assert.True(last < s.Size, $"{s.CSharp.Name}: last field at {last}, size {s.Size}");
        foreach (var field in s.CSharp.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            Assert.True(stated.Contains(field.Name), $"{s.CSharp.Name}.{field.Name} is not in AbiLayout: state its offset");
    }

    [Fact]
    public void The_header_asserts_every_size_and_offset_of_the_table_and_nothing_else()
    {
        string header = Header();
        var expected = new List<string>();
        foreach (var s in AbiLayout.Structs)
        {
            expected.Add($"sizeof({s.C}) == {s.Size}, \"{s.CSharp.Name}\"");
            foreach (var f in s.Fields) expected.Add($"offsetof({s.C}, {f.C}) == {f.Offset}, \"{f.Label(s)}\"");
        }
        var found = new List<string>();
        foreach (Match m in Regex.Matches(header, @"_Static_assert\((.*)\);"))
            found.Add(m.Groups[1].Value);
        Assert.Equal(expected, found);

        // Every struct the header declares is in the table.
        foreach (Match m in Regex.Matches(header, @"\}\s*(ws_\w+_t);"))
            Assert.True(Array.Exists(AbiLayout.Structs, s => s.C == m.Groups[1].Value), $"{m.Groups[1].Value} has no entry in AbiLayout");
    }

    [Fact]
    public void Every_mirror_file_the_header_names_exists()
    {
        int named = 0;
        foreach (Match m in Regex.Matches(Header(), @"interop/Wirespeed\.Interop/[\w/.]+\.cs"))
        {
            Assert.True(File.Exists(Path.Combine(SharedData.RepoRoot, m.Value)), $"wirespeed_native.h names {m.Value}, which does not exist");
            named++;
        }
        Assert.True(named >= 6, $"only {named} mirror files named");
    }
}

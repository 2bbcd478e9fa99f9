using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using Wirespeed.Fuzzing;
using Wirespeed.Fuzzing.Targets;
using Xunit;

namespace Wirespeed.Tests.App.Fuzzing;

public class MutatorTests
{
    private static readonly byte[][] s_seeds =
    {
        Encoding.ASCII.GetBytes("the quick brown fox jumps over the lazy dog"),
        new byte[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
    };

    [Fact]
    public void The_same_seed_and_case_give_the_same_input_in_any_order()
    {
        var a = new Mutator(s_seeds, 4096);
        var b = new Mutator(s_seeds, 4096);
        var forward = new List<byte[]>();
        for (int i = 0; i < 500; i++) forward.Add(a.CaseInput(42, i));
        for (int i = 499; i >= 0; i--) Assert.Equal(forward[i], b.CaseInput(42, i));
    }

    [Fact]
    public void Different_seeds_give_different_inputs_and_every_case_changes_its_seed()
    {
        var m = new Mutator(s_seeds, 4096);
        int same = 0, unchanged = 0;
        for (int i = 0; i < 500; i++)
        {
            byte[] x = m.CaseInput(1, i), y = m.CaseInput(2, i);
            if (x.AsSpan().SequenceEqual(y)) same++;
            if (x.AsSpan().SequenceEqual(s_seeds[0]) || x.AsSpan().SequenceEqual(s_seeds[1])) unchanged++;
        }
        Assert.True(same < 25, $"{same} of 500 cases equal under seeds 1 and 2");
        Assert.True(unchanged < 25, $"{unchanged} of 500 cases are an unchanged seed");
    }

    [Fact]
    public void Inputs_never_exceed_the_size_limit_and_the_mutations_both_shrink_and_grow()
    {
        var m = new Mutator(s_seeds, 64);
        bool shorter = false, longer = false;
        for (int i = 0; i < 2000; i++)
        {
            byte[] x = m.CaseInput(3, i);
            Assert.True(x.Length <= 64);
            shorter |= x.Length < 16;
            longer |= x.Length > s_seeds[0].Length;
        }
        Assert.True(shorter && longer);
    }

    [Fact]
    public void Json_mutations_make_duplicate_keys_wrong_types_deep_nesting_and_broken_documents()
    {
        byte[] seed = Encoding.UTF8.GetBytes("{ \"lines\": [ { \"name\": \"A\", \"port\": 26477 } ], \"books\": { \"maxOrders\": 1024 } }");
        var json = new JsonMutations();
        int duplicates = 0, broken = 0, deep = 0, mistyped = 0;
        for (int i = 0; i < 3000; i++)
        {
            var rng = FuzzRandom.ForCase(5, i);
            byte[] x = json.Mutate(seed, ref rng);
            string text = Encoding.UTF8.GetString(x);
            if (text.Contains("[[[[[[[[[[", StringComparison.Ordinal) || text.Contains("{\"a\":{\"a\":{\"a\":", StringComparison.Ordinal)) deep++;
            try
            {
                using var doc = JsonDocument.Parse(x, new JsonDocumentOptions { MaxDepth = 4096 });
                if (HasDuplicateKey(doc.RootElement)) duplicates++;
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("lines", out var l) && l.ValueKind != JsonValueKind.Array) mistyped++;
            }
            catch (JsonException) { broken++; }
        }
        Assert.True(duplicates > 50, $"duplicate keys: {duplicates}");
        Assert.True(broken > 10, $"broken documents: {broken}");
        Assert.True(deep > 50, $"deep nesting: {deep}");
        Assert.True(mistyped > 20, $"'lines' of another type: {mistyped}");
    }

    private static bool HasDuplicateKey(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in e.EnumerateArray()) if (HasDuplicateKey(item)) return true;
            return false;
        }
        if (e.ValueKind != JsonValueKind.Object) return false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            if (!seen.Add(p.Name) || HasDuplicateKey(p.Value)) return true;
        }
        return false;
    }
}

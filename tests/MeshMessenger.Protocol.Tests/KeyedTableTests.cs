using MeshMessenger.Protocol.Collections;

namespace MeshMessenger.Protocol.Tests;

public sealed class KeyedTableTests
{
    [Theory]
    [InlineData(1, 1, 0)]
    [InlineData(7, 16, 1)]
    [InlineData(64, 1000, 2)]
    [InlineData(64, 64, 3)]
    [InlineData(300, 100000, 4)]
    public void Random_operations_match_a_dictionary_model(int capacity, int keySpace, int seed)
    {
        var random = new Random(seed);
        var table = new KeyedTable(capacity);
        var model = new Dictionary<uint, object>();
        for (int step = 0; step < 40000; step++)
        {
            // Keys from a small space collide on purpose; a high-bit offset checks keys beyond int range.
            uint key = (uint)random.Next(keySpace) * (seed % 2 == 0 ? 1u : 0x01000193u);
            int op = random.Next(10);
            if (op < 5)
            {
                object value = step;
                bool added = table.Set(key, value);
                bool expected = model.ContainsKey(key) || model.Count < capacity;
                Assert.Equal(expected, added);
                if (expected)
                {
                    model[key] = value;
                }
            }
            else if (op < 8)
            {
                Assert.Equal(model.Remove(key), table.Remove(key));
            }
            else if (op < 9)
            {
                Assert.Equal(model.TryGetValue(key, out object? v) ? v : null, table.Get(key));
                Assert.Equal(model.ContainsKey(key), table.Contains(key));
            }
            else if (random.Next(200) == 0)
            {
                table.Clear();
                model.Clear();
            }

            Assert.Equal(model.Count, table.Count);
            if (step % 97 == 0)
            {
                AssertSameContents(model, table);
            }
        }

        AssertSameContents(model, table);
    }

    [Fact]
    public void A_full_table_refuses_a_new_key_but_replaces_a_present_one()
    {
        var table = new KeyedTable(3);
        Assert.True(table.Set(10, "a"));
        Assert.True(table.Set(20, "b"));
        Assert.True(table.Set(30, "c"));
        Assert.False(table.Set(40, "d"));
        Assert.Null(table.Get(40));
        Assert.Equal(3, table.Count);
        Assert.Equal(3, table.Capacity);
        Assert.True(table.Set(20, "B"));
        Assert.Equal("B", table.Get(20));
        Assert.True(table.Remove(10));
        Assert.True(table.Set(40, "d"));
        Assert.Equal("d", table.Get(40));
    }

    [Fact]
    public void Remove_moves_the_last_entry_into_the_hole_and_clear_empties()
    {
        var table = new KeyedTable(4);
        table.Set(1, "one");
        table.Set(2, "two");
        table.Set(3, "three");
        Assert.True(table.Remove(1));
        Assert.False(table.Remove(1));
        Assert.Equal(2, table.Count);
        Assert.Equal(3u, table.KeyAt(0));
        Assert.Equal("three", table.ValueAt(0));
        Assert.Equal(2u, table.KeyAt(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => table.KeyAt(2));
        table.Clear();
        Assert.Equal(0, table.Count);
        Assert.False(table.Contains(2));
        Assert.Null(table.Get(3));
        Assert.True(table.Set(3, "again"));
        Assert.Equal("again", table.Get(3));
    }

    [Fact]
    public void Full_tables_of_every_small_size_find_all_keys_while_emptied_in_random_order()
    {
        // A full table fills half its index slots, so probe runs and backward shifts on removal are exercised
        // (with 8 keys in 16 slots a collision-free placement has probability about 0.12).
        var random = new Random(7);
        for (int capacity = 1; capacity <= 40; capacity++)
        {
            var table = new KeyedTable(capacity);
            var keys = new List<uint>();
            while (keys.Count < capacity)
            {
                uint key = (uint)random.Next() << (random.Next(2) * 7);
                if (!keys.Contains(key))
                {
                    keys.Add(key);
                    Assert.True(table.Set(key, key));
                }
            }

            Assert.False(table.Set(keys.Max() + 1 == 0 ? 1 : keys.Max() + 1, 0u));
            while (keys.Count > 0)
            {
                int pick = random.Next(keys.Count);
                Assert.True(table.Remove(keys[pick]));
                keys.RemoveAt(pick);
                foreach (uint left in keys)
                {
                    Assert.Equal(left, table.Get(left));
                }
            }

            Assert.Equal(0, table.Count);
        }
    }

    [Fact]
    public void Zero_and_max_keys_are_ordinary_keys()
    {
        var table = new KeyedTable(2);
        Assert.True(table.Set(0, "zero"));
        Assert.True(table.Set(uint.MaxValue, "max"));
        Assert.Equal("zero", table.Get(0));
        Assert.Equal("max", table.Get(uint.MaxValue));
        Assert.Throws<ArgumentNullException>(() => table.Set(1, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KeyedTable(0));
    }

    private static void AssertSameContents(Dictionary<uint, object> model, KeyedTable table)
    {
        var seen = new Dictionary<uint, object>();
        for (int i = 0; i < table.Count; i++)
        {
            seen.Add(table.KeyAt(i), table.ValueAt(i));
        }

        Assert.Equal(model.OrderBy(p => p.Key), seen.OrderBy(p => p.Key));
        foreach (var pair in model)
        {
            Assert.Same(pair.Value, table.Get(pair.Key));
        }
    }
}

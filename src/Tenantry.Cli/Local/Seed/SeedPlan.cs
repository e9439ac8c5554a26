namespace Tenantry.Cli.Local.Seed;

/// <summary>The sizes asked for on the command line.</summary>
internal sealed record SeedSizes(int Users, int Workspaces, int Memberships, int Institutions, int Seed)
{
    public string Describe() => $"{Users} users, {Workspaces} workspaces in {Institutions} institutions, {Memberships} memberships";
}

/// <summary>
/// Who is a member of what, decided up front (indexes only, no ids) so that every table can
/// be written in one pass in foreign-key order. The shape is skewed like a real deployment:
/// most users sit in one to five workspaces, about one in two hundred in a hundred or more,
/// and workspace popularity follows a Zipf curve (a few workspaces have thousands of members).
/// </summary>
internal sealed class SeedPlan
{
    private SeedPlan(SeedSizes sizes, int[] membershipUser, int[] membershipWorkspace)
    {
        Sizes = sizes;
        MembershipUser = membershipUser;
        MembershipWorkspace = membershipWorkspace;
    }

    public SeedSizes Sizes { get; }

    /// <summary>Membership i joins user MembershipUser[i] to workspace MembershipWorkspace[i]. The first <see cref="OwnerMembershipCount"/> are the owners (workspace i's owner is membership i).</summary>
    public int[] MembershipUser { get; }

    public int[] MembershipWorkspace { get; }

    public int OwnerMembershipCount => Sizes.Workspaces;

    public static int InstitutionOf(int workspace, SeedSizes sizes) => workspace % sizes.Institutions;

    public static SeedPlan Create(SeedSizes sizes)
    {
        if (sizes.Memberships < sizes.Workspaces || sizes.Memberships < sizes.Users)
        {
            throw new ArgumentException("--memberships must be at least --workspaces and at least --users (every workspace has an owner, every user a workspace).");
        }
        var random = new Random(sizes.Seed);
        var perUser = MembershipsPerUser(sizes, random);

        // Slots: user u appears perUser[u] times, in random order. The first W slots own workspaces 0..W-1.
        var slots = new int[sizes.Memberships];
        var next = 0;
        for (var u = 0; u < perUser.Length; u++)
        {
            for (var k = 0; k < perUser[u]; k++)
            {
                slots[next++] = u;
            }
        }
        random.Shuffle(slots);

        var users = new int[sizes.Memberships];
        var workspaces = new int[sizes.Memberships];
        var taken = new HashSet<long>(sizes.Memberships);
        var popularity = new ZipfSampler(sizes.Workspaces, exponent: 0.9, random);
        var count = 0;
        for (var i = 0; i < sizes.Memberships; i++)
        {
            var user = slots[i];
            int workspace;
            if (i < sizes.Workspaces)
            {
                // Distinct workspaces, so these pairs never collide.
                workspace = i;
                taken.Add(Pair(user, workspace));
            }
            else
            {
                workspace = PickWorkspace(user, popularity, taken, random, sizes.Workspaces);
                if (workspace < 0)
                {
                    continue;
                }
            }
            users[count] = user;
            workspaces[count] = workspace;
            count++;
        }
        // A regular slot may find no free workspace for a user already in nearly all of them (tiny datasets only).
        Array.Resize(ref users, count);
        Array.Resize(ref workspaces, count);
        return new SeedPlan(sizes with { Memberships = count }, users, workspaces);
    }

    private static long Pair(int user, int workspace) => ((long)user << 32) | (uint)workspace;

    private static int PickWorkspace(int user, ZipfSampler popularity, HashSet<long> taken, Random random, int workspaceCount)
    {
        for (var attempt = 0; attempt < 32; attempt++)
        {
            var workspace = attempt < 16 ? popularity.Next() : random.Next(workspaceCount);
            if (taken.Add(Pair(user, workspace)))
            {
                return workspace;
            }
        }
        return -1;
    }

    /// <summary>A skewed count per user, then nudged at random until the total is exactly the requested number.</summary>
    private static int[] MembershipsPerUser(SeedSizes sizes, Random random)
    {
        var cap = sizes.Workspaces;
        var perUser = new int[sizes.Users];
        long total = 0;
        for (var u = 0; u < perUser.Length; u++)
        {
            var r = random.NextDouble();
            var k = r switch
            {
                < 0.60 => random.Next(1, 3),
                < 0.85 => random.Next(3, 6),
                < 0.95 => random.Next(6, 21),
                < 0.995 => random.Next(21, 61),
                _ => random.Next(100, 401),
            };
            perUser[u] = Math.Min(k, cap);
            total += perUser[u];
        }
        while (total != sizes.Memberships)
        {
            var u = random.Next(perUser.Length);
            if (total > sizes.Memberships)
            {
                // Trim the common users, keep the heavy tail heavy.
                if (perUser[u] is > 1 and < 100)
                {
                    perUser[u]--;
                    total--;
                }
            }
            else if (perUser[u] < cap)
            {
                perUser[u]++;
                total++;
            }
        }
        return perUser;
    }

    /// <summary>Draws 0..n-1 with probability proportional to 1/(rank+1)^s over a shuffled ranking.</summary>
    private sealed class ZipfSampler
    {
        private readonly double[] _cumulative;
        private readonly int[] _rankToItem;
        private readonly Random _random;

        public ZipfSampler(int n, double exponent, Random random)
        {
            _random = random;
            _cumulative = new double[n];
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                sum += 1.0 / Math.Pow(i + 1, exponent);
                _cumulative[i] = sum;
            }
            _rankToItem = Enumerable.Range(0, n).ToArray();
            random.Shuffle(_rankToItem);
        }

        public int Next()
        {
            var target = _random.NextDouble() * _cumulative[^1];
            var rank = Array.BinarySearch(_cumulative, target);
            return _rankToItem[rank < 0 ? ~rank : rank];
        }
    }
}

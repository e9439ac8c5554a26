namespace Tenantry.Domain.Memberships;

public enum JoinSource
{
    /// <summary>Created the workspace.</summary>
    Created,

    /// <summary>Accepted an invitation.</summary>
    Invited,

    /// <summary>Added by an operator or by the institution's auto-assigned workspace.</summary>
    Assigned,
}

public enum MembershipStatus
{
    Active,
    Inactive,
}

public enum BuiltInRole
{
    Owner,
    Member,
}

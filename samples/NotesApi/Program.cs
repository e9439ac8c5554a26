using Microsoft.Data.Sqlite;
using Tenantry.AspNetCore;
using Tenantry.Client;

// Per-workspace notes, for the members of each workspace. Tenantry decides who is a member and who
// may write (Tenantry.AspNetCore); the workspace's name comes from Tenantry too, asked with the
// caller's own token (Tenantry.Client). Settings: Tenantry:Authority, Tenantry:PortalAccessCode,
// Tenantry:AccessCacheSeconds (how soon a revoked session or a changed role takes effect), Notes:Database.
var builder = WebApplication.CreateBuilder(args);
var authority = new Uri(builder.Configuration["Tenantry:Authority"] ?? "http://127.0.0.1:5080");
var portalCode = builder.Configuration["Tenantry:PortalAccessCode"] ?? "dev-portal";

builder.Services.AddTenantry(o =>
{
    o.Authority = authority;
    o.PortalAccessCode = portalCode;
    o.AccessCacheDuration = TimeSpan.FromSeconds(builder.Configuration.GetValue("Tenantry:AccessCacheSeconds", 30));
});
builder.Services.AddHttpContextAccessor();
builder.Services.AddSingleton<ITenantryTokenStore, CallerToken>();
builder.Services.AddTenantryClient(o =>
{
    o.BaseAddress = authority;
    o.PortalAccessCode = portalCode;
});
builder.Services.AddSingleton(new Notes(builder.Configuration["Notes:Database"] ?? "notes.db"));

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();

app.MapGet("/workspaces/{workspaceId}/notes", async (string workspaceId, Notes notes, TenantryClient tenantry, CancellationToken ct) =>
        new { workspace = (await tenantry.GetWorkspaceAsync(workspaceId, ct)).WorkspaceName, notes = notes.List(workspaceId) })
    .RequireWorkspaceMember();

app.MapPost("/workspaces/{workspaceId}/notes", (string workspaceId, NewNote note, Notes notes, HttpContext http) =>
        string.IsNullOrWhiteSpace(note.Text)
            ? Results.BadRequest(new { error = "text is required" })
            : Results.Created($"/workspaces/{workspaceId}/notes", notes.Add(workspaceId, http.User.TenantryUserId()!, note.Text)))
    .RequireWorkspacePermission("workspace.update");

app.MapGet("/health", () => "ok");
app.Run();

internal sealed record NewNote(string? Text);

internal sealed record Note(long Id, string Author, string Text, DateTime CreatedAt);

/// <summary>The notes, in this service's own SQLite database, one list per workspace.</summary>
internal sealed class Notes
{
    private readonly string _connectionString;

    public Notes(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path }.ToString();
        using var connection = Open();
        using var create = connection.CreateCommand();
        create.CommandText = "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, workspace_id TEXT NOT NULL, author TEXT NOT NULL, text TEXT NOT NULL, created_at TEXT NOT NULL)";
        create.ExecuteNonQuery();
    }

    public List<Note> List(string workspaceId)
    {
        using var connection = Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT id, author, text, created_at FROM notes WHERE workspace_id = $w ORDER BY id";
        query.Parameters.AddWithValue("$w", workspaceId);
        using var reader = query.ExecuteReader();
        var notes = new List<Note>();
        while (reader.Read())
        {
            notes.Add(new Note(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), DateTime.Parse(reader.GetString(3), null, System.Globalization.DateTimeStyles.RoundtripKind)));
        }
        return notes;
    }

    public Note Add(string workspaceId, string author, string text)
    {
        using var connection = Open();
        using var insert = connection.CreateCommand();
        var now = DateTime.UtcNow;
        insert.CommandText = "INSERT INTO notes (workspace_id, author, text, created_at) VALUES ($w, $a, $t, $c) RETURNING id";
        insert.Parameters.AddWithValue("$w", workspaceId);
        insert.Parameters.AddWithValue("$a", author);
        insert.Parameters.AddWithValue("$t", text);
        insert.Parameters.AddWithValue("$c", now.ToString("O"));
        return new Note((long)insert.ExecuteScalar()!, author, text, now);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}

/// <summary>
/// Tenantry.Client acting for the caller: the access token of the request being served (no refresh
/// token: the caller's own app refreshes it). The workspace policy has already admitted the request.
/// </summary>
internal sealed class CallerToken(IHttpContextAccessor http) : ITenantryTokenStore
{
    public ValueTask<TenantryTokens?> GetAsync(CancellationToken cancellationToken)
    {
        var user = http.HttpContext?.User;
        var header = http.HttpContext?.Request.Headers.Authorization.ToString() ?? string.Empty;
        return ValueTask.FromResult(user?.TenantryUserId() is { } userId && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? new TenantryTokens(userId, user.TenantrySessionId() ?? string.Empty, header[7..].Trim(), string.Empty, DateTimeOffset.MaxValue)
            : null);
    }

    public ValueTask SetAsync(TenantryTokens? tokens, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

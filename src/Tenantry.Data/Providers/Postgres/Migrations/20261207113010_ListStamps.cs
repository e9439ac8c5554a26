using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tenantry.Data.Providers.Postgres.Migrations
{
    /// <summary>
    /// The list stamp (<see cref="Changes.ListStamps"/>): 16 rows that a deferred trigger on every
    /// table a membership list is read from moves once per committing transaction, plain SQL
    /// included. Deferred, so the row is locked only as the transaction commits, after every other
    /// lock it takes (no new deadlock); one of 16 rows by transaction id, so committing writers
    /// rarely wait for each other. Not on Citus: there the rows stay absent and no trigger is made.
    /// </summary>
    public partial class ListStamps : Migration
    {
        // As they were when this migration was written; a table added to the lists later gets its triggers in its own migration.
        private const string Tables =
            "'workspace_memberships', 'workspaces', 'workspace_roles', 'institutions', 'organization_memberships', " +
            "'segments', 'workspace_segments', 'institution_segments'";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE TABLE list_stamps (slot smallint NOT NULL PRIMARY KEY, value bigint NOT NULL)");
            migrationBuilder.Sql("""
                CREATE FUNCTION list_stamp_move() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    -- Once per transaction: the setting lasts until it ends.
                    IF current_setting('tenantry.list_stamp_moved', true) IS DISTINCT FROM 'on' THEN
                        PERFORM set_config('tenantry.list_stamp_moved', 'on', true);
                        UPDATE list_stamps SET value = value + 1 WHERE slot = pg_current_xact_id()::text::bigint % 16;
                    END IF;
                    RETURN NULL;
                END
                $$
                """);
            migrationBuilder.Sql($$"""
                DO $$
                DECLARE t text;
                BEGIN
                    -- Citus would run the triggers on its workers, which hold the shards: no count there.
                    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
                        RETURN;
                    END IF;
                    -- From the time in microseconds: a stamp made again (migrated down and up) starts above any count served before.
                    INSERT INTO list_stamps (slot, value)
                    SELECT s, CASE WHEN s = 0 THEN (extract(epoch FROM clock_timestamp()) * 1000000)::bigint ELSE 0 END FROM generate_series(0, 15) s;
                    FOREACH t IN ARRAY ARRAY[{{Tables}}] LOOP
                        EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I '
                            'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION list_stamp_move()', t || '_list_stamp', t);
                        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION list_stamp_move()',
                            t || '_truncate_list_stamp', t);
                    END LOOP;
                END
                $$
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($$"""
                DO $$
                DECLARE t text;
                BEGIN
                    -- None were made on Citus, which refuses even to look for one on a distributed table.
                    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
                        RETURN;
                    END IF;
                    FOREACH t IN ARRAY ARRAY[{{Tables}}] LOOP
                        EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_list_stamp', t);
                        EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_truncate_list_stamp', t);
                    END LOOP;
                END
                $$
                """);
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS list_stamp_move()");
            migrationBuilder.Sql("DROP TABLE IF EXISTS list_stamps");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kuroco.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuditParameters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "FormatVersion",
                table: "AuditEntries",
                type: "INTEGER",
                nullable: false,
                // Every existing entry was written with an English summary: format 1.
                defaultValue: 1);

            migrationBuilder.AddColumn<string>(
                name: "Parameters",
                table: "AuditEntries",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FormatVersion",
                table: "AuditEntries");

            migrationBuilder.DropColumn(
                name: "Parameters",
                table: "AuditEntries");
        }
    }
}

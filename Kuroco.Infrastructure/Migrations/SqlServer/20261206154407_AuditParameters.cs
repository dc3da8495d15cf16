using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kuroco.Infrastructure.Migrations.SqlServer
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
                type: "int",
                nullable: false,
                // Every existing entry was written with an English summary: format 1.
                defaultValue: 1);

            migrationBuilder.AddColumn<string>(
                name: "Parameters",
                table: "AuditEntries",
                type: "nvarchar(max)",
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

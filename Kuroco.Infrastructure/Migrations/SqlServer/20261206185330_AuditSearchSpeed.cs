using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kuroco.Infrastructure.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class AuditSearchSpeed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_ActorId",
                table: "AuditEntries");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_ActorId_OccurredAtUtc_Sequence",
                table: "AuditEntries",
                columns: new[] { "ActorId", "OccurredAtUtc", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_ActorName_Action_OccurredAtUtc_Sequence",
                table: "AuditEntries",
                columns: new[] { "ActorName", "Action", "OccurredAtUtc", "Sequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_ActorId_OccurredAtUtc_Sequence",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_ActorName_Action_OccurredAtUtc_Sequence",
                table: "AuditEntries");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_ActorId",
                table: "AuditEntries",
                column: "ActorId");
        }
    }
}

"""`hubctl cluster add|label|list|cordon|uncordon|drain|remove`: day-2 edits of clusters/*.yaml."""

from __future__ import annotations

from pathlib import Path

import typer

from hubctl.cli.application import app
from hubctl.cli.options import DirOption, ListOutput, TextJson, listing_output

cluster_app = typer.Typer(help="Add, label, list, cordon, drain and remove clusters (edits clusters/*.yaml).",
                          no_args_is_help=True)
app.add_typer(cluster_app, name="cluster")

DryRun = typer.Option(False, "--dry-run", help="Show the placement delta and the spec diff; write nothing.")
AllowPrune = typer.Option(False, "--allow-prune", help="Allow more deletions than the hub's maxDeletions.")
Output = typer.Option("text", "-o", "--output", help="text or json.")


def finish(build, output: TextJson, dry_run: bool, allow_prune: bool) -> None:
    """Plan the edit (`build()`), show the placement delta, then check the prune guard and write (the shared
    tail of every edit). With -o json, an edit the fleet would not validate prints validate's JSON report."""
    from hubctl.base.errors import HubctlError
    from hubctl.cli import console
    from hubctl.usecases.ops.plan import apply_plan

    plan = planned(build, output) if callable(build) else build  # a Plan built by the caller works too
    if output is not TextJson.json:
        _show(plan, dry_run)
    try:
        written = apply_plan(plan, dry_run=dry_run, allow_prune=allow_prune)
    except HubctlError as exc:
        if output is TextJson.json:
            console.print_json({**plan.to_json(False), "error": exc.message})
        raise
    if output is TextJson.json:
        console.print_json(plan.to_json(written))
    elif written:
        # an edit writes specs only (the `rendered:` line above counts what a render will change)
        wrote = sorted(rel for rel, data in plan.files.items() if data is not None)
        removed = sorted(rel for rel, data in plan.files.items() if data is None)
        done = "; ".join(f"{verb} {', '.join(rels)}" for verb, rels in (("wrote", wrote), ("removed", removed)) if rels)
        console.success(f"{done}; next: `hubctl render`, review with `hubctl diff`, then `hubctl commit`")
    elif not plan.files:
        console.info("nothing to change")
    else:
        console.info("dry run: nothing written")


def planned(build, output: TextJson):
    """`build()`; with -o json, the problems of an edit refused by validation go to stdout as JSON first
    (the shape of `validate -o json`, plus `written: false` and `error`)."""
    import json
    from pathlib import Path

    from hubctl.base.errors import SpecError
    from hubctl.cli import console, report

    try:
        return build()
    except SpecError as exc:
        if output is TextJson.json:
            body = json.loads(report.problems_json(Path(exc.root or "."), exc.problems))
            console.print_json({**body, "written": False, "error": exc.message})
        raise


def _show(plan, dry_run: bool) -> None:
    from hubctl.cli import console

    delta = plan.delta
    console.data(f"{plan.action}: placement delta +{len(delta.added)} -{len(delta.removed)} Applications")
    for line in delta.lines():
        console.data(f"  {line}")
    for line in detail_lines(plan.details):
        console.data(f"  {line}")
    changes = plan.rendered_changes()
    console.data(f"rendered: {len(changes['changed'])} changed, {len(changes['added'])} added, "
                 f"{len(changes['removed'])} removed files")
    for note in plan.notes:
        console.warn(note)
    if dry_run and plan.files:
        console.data(plan.spec_diff())


def detail_lines(details: dict) -> list[str]:
    """What drain, promote and rollout approve add to the delta, one line each."""
    lines = [f"{m['space']}/{m['flow']} moves to {', '.join(m['to'])}"
             + (f" ({m['fallback']})" if "fallback" in m else "") for m in details.get("moved", [])]
    for m in details.get("left", []):
        plural = "s" if m["remaining"] != 1 else ""
        lines.append(f"{m['space']}/{m['flow']} leaves (still on {m['remaining']} cluster{plural})")
    lines += [f"{c['cluster']} ({c['env']}) {c['key']}: {c['from']} -> {c['to']}" for c in details.get("clusters", [])]
    if "stage" in details:  # rollout approve
        lines.append(f"{details['flow']}: stage {details['stage']} approved for release {details['release']} "
                     f"(rendered maxUpdate {details['was']} -> {details['now']})")
    lines += [f"hub {h['from']} -> {h['to']}: {len(h['clusters'])} clusters ({', '.join(h['clusters'])})"
              for h in details.get("hubs", [])]  # hub failover and failback
    return lines


@cluster_app.command("add")
def add(
    name: str = typer.Argument(..., help="The cluster name (a DNS label)."),
    server: str = typer.Option(..., "--server", help="The spoke's API server URL (https)."),
    label: list[str] = typer.Option([], "--label", "-l", help="KEY=VALUE, repeatable (env/region/provider too)."),
    provider: str = typer.Option(None, "--provider", help="eks, aks, gke, vsphere-rke or other (default other)."),
    environment: str = typer.Option(None, "--environment", "--env", help="dev, staging, prod, ... (required "
                                    "unless -l env=E)"),
    region: str = typer.Option(None, "--region", help="The region label value (required unless -l region=R)."),
    credentials: str = typer.Option(..., "--credentials", help="aws-role:ARN | external-secret:STORE/KEY[#PROP] | "
                                    "secret-store:STORE/KEY[#PROP] | exec:COMMAND [ARGS]"),
    directory: Path = DirOption, dry_run: bool = DryRun, allow_prune: bool = AllowPrune, output: TextJson = Output,
) -> None:
    """Add a spoke: writes clusters/NAME.yaml after validating the whole fleet with it.

    Example:

        hubctl cluster add prod-eu-3 --server https://prod-eu-3.k8s.example.com --provider eks \\
        --env prod --region eu-west -l tier=gold --credentials aws-role:arn:aws:iam::123456789012:role/argocd
    """
    from hubctl.usecases.ops.clusters import cluster_add

    finish(lambda: cluster_add(directory, name, server=server, labels=label, credentials=credentials,
                               provider=provider, environment=environment, region=region),
           output, dry_run, allow_prune)


@cluster_app.command("label")
def label_cmd(
    name: str = typer.Argument(..., help="The cluster."),
    changes: list[str] = typer.Argument(..., metavar="KEY=VALUE|KEY-", help="KEY=VALUE sets a label, KEY- "
                                        "removes it."),
    directory: Path = DirOption, dry_run: bool = DryRun, allow_prune: bool = AllowPrune, output: TextJson = Output,
) -> None:
    """Set or remove cluster labels (env, region and provider edit the spec fields they come from).

    Example:

        hubctl cluster label prod-eu-1 tier=gold canary-
    """
    from hubctl.usecases.ops.clusters import cluster_label

    finish(lambda: cluster_label(directory, name, changes), output, dry_run, allow_prune)


@cluster_app.command("list")
def list_cmd(directory: Path = DirOption,
             output: ListOutput = listing_output("cluster", wide="with server and file")) -> None:
    """List clusters with environment, region, provider, labels, cordon state and placements.

    Examples:

        hubctl cluster list -o json

        hubctl cluster list -o name | grep prod
    """
    from hubctl.cli.options import print_listing
    from hubctl.usecases.ops.clusters import cluster_list

    print_listing("cluster", cluster_list(directory), output, cluster_table)


def cluster_table(rows: list[dict], wide: bool) -> tuple[list, list[list]]:
    from hubctl.cli.table import Column

    columns = [Column("name", whole=True), Column("env"), Column("region"), Column("provider"), Column("state"),
               Column("placements"), Column("labels")]
    if wide:
        columns += [Column("server", whole=True), Column("file", whole=True)]
    cells = []
    for r in rows:
        labels = [f"{k}={v}" for k, v in r["labels"].items()]
        cells.append([r["name"], r["environment"], r["region"], r["provider"], r["state"], str(r["placements"]),
                      labels, *((r["server"], r["file"]) if wide else ())])
    return columns, cells


@cluster_app.command("cordon")
def cordon(
    name: str = typer.Argument(..., help="The cluster."),
    reason: str = typer.Option(None, "--reason", help="Why (recorded in spec.cordon.reason)."),
    directory: Path = DirOption, dry_run: bool = DryRun, allow_prune: bool = AllowPrune, output: TextJson = Output,
) -> None:
    """Cordon a cluster: no new placements; the flows on it now stay (recorded in spec.cordon.keep).

    Example:

        hubctl cluster cordon prod-eu-1 --reason "eu-west maintenance"
    """
    from hubctl.usecases.ops.clusters import cluster_cordon

    finish(lambda: cluster_cordon(directory, name, reason), output, dry_run, allow_prune)


@cluster_app.command("uncordon")
def uncordon(
    name: str = typer.Argument(..., help="The cluster."),
    directory: Path = DirOption, dry_run: bool = DryRun, allow_prune: bool = AllowPrune, output: TextJson = Output,
) -> None:
    """Remove a cordon (or a drain): the cluster takes placements again.

    Example:

        hubctl cluster uncordon prod-eu-1
    """
    from hubctl.usecases.ops.clusters import cluster_uncordon

    finish(lambda: cluster_uncordon(directory, name), output, dry_run, allow_prune)


@cluster_app.command("drain")
def drain(
    name: str = typer.Argument(..., help="The cluster."),
    reason: str = typer.Option(None, "--reason", help="Why (recorded in spec.cordon.reason)."),
    directory: Path = DirOption, dry_run: bool = DryRun, allow_prune: bool = AllowPrune, output: TextJson = Output,
) -> None:
    """Drain a cluster: flows re-place onto other matching clusters; those that cannot stay, with the reason.

    Example:

        hubctl cluster drain prod-eu-1 --dry-run
    """
    from hubctl.usecases.ops.drain import cluster_drain

    finish(lambda: cluster_drain(directory, name, reason), output, dry_run, allow_prune)


@cluster_app.command("remove")
def remove(
    name: str = typer.Argument(..., help="The cluster."),
    directory: Path = DirOption, dry_run: bool = DryRun, allow_prune: bool = AllowPrune, output: TextJson = Output,
) -> None:
    """Remove a spoke: deletes its spec (and the per-cluster overrides flows keep for it) after validating
    the fleet without it. Its Applications go; spread flows re-place onto other clusters.

    Drain it first to review the moves on their own. The prune guard counts the deletions.

    Example:

        hubctl cluster remove staging-us-1 --dry-run
    """
    from hubctl.usecases.ops.clusters import cluster_remove

    finish(lambda: cluster_remove(directory, name), output, dry_run, allow_prune)

//! What the unit tests of several modules share.

use hybridready_assessment::{Assessment, ObjRef, Scenario};

/// An assessment with nothing in it but one federation check, to render pieces against.
pub fn empty_assessment() -> Assessment {
    let mut a: Assessment = serde_json::from_value(serde_json::json!({
        "schema_version": hybridready_assessment::SCHEMA_VERSION,
        "tool": {"name": "hybridready", "version": "0"},
        "assessed_at": 0,
        "customer": null,
        "scenario": {"name": "s", "file": null, "assumptions": [], "resolved": Scenario::default()},
        "inputs": [],
        "directory": {"users": 0, "groups": 0, "contacts": 0, "domains": 0, "ous": 0,
            "memberships": 0, "sfb_users": 0, "sfb_online": 0, "trusts": 0,
            "nesting_cycles": [], "unresolved_references": 0, "conflicts": 0},
        "sync": {"objects": 0, "in_scope": 0, "synced": 0, "sfb_users": 0, "sfb_synced": 0,
            "sfb_unsynced": 0, "sfb_unsynced_online": 0, "coverage": 1.0, "not_synced": [],
            "by_domain": [], "by_ou": [], "ous_with_sfb_users": 0},
        "findings": {"total": 0, "objects": 0, "objects_with_errors": 0, "errors": 0,
            "warnings": 0, "infos": 0, "by_rule": [], "rules": [], "rows": []},
        "breaks": {"pilot": {"online_users": 0, "broken_pairs": 0, "unsynced_users_breaking": 0, "online_users_affected": 0},
                   "end": {"online_users": 0, "broken_pairs": 0, "unsynced_users_breaking": 0, "online_users_affected": 0}},
        "steps": [{"id": "federation", "status": "warn", "score": 100, "checks": [
            {"id": "T05", "status": "warn", "fact": {"kind": "not_provided", "inputs": [
                {"kind": "scenario_key", "name": "federation.allow_federated_users"}]}}]}],
        "unsynced": [],
        "waves": {"size": 50, "waves": [], "kept": 0, "already_online": 0,
            "order": "fewest_dependencies", "per_week": null, "start": null, "pairs": 0,
            "pairs_split": 0, "weight": 0, "weight_split": 0, "delegate_pairs_split": 0,
            "split_clusters": [], "moves": {"target": "sipfed.online.lync.com",
            "use_oauth": false, "override_url": null, "parallel": 25, "retries": 3,
            "registrar_pool": null}},
        "pair_files": [],
        "verdict": "ready_with_warnings",
        "score": {"value": 95, "limited_by": "federation", "blocked_cap": 50},
        "actions": [],
        "objects": []
    }))
    .unwrap();
    a.objects = hybridready_assessment::Objects::new(vec![]);
    let _ = ObjRef(0);
    a
}

/**
 * Hand-built work items, one per lane, for render and lint tests. Advisory facts (KEV dates,
 * fixed versions, mitigations, SSVC points) are taken from the sample corpus records named in
 * each comment; owners, assets and change profiles are invented for the examples.
 */
import type { Checkpoint, OwnerRef, WorkItem } from "../types.js";

export const OWNERS = {
  security: {
    id: "sec-vm",
    name: "Vulnerability Management (Priya Shah)",
    timeZone: "Europe/Amsterdam",
    contact: "vm@example.com",
  },
  netops: {
    id: "netops",
    name: "Network Engineering (Dana Ruiz)",
    timeZone: "America/New_York",
    contact: "netops@example.com",
  },
  remoteAccess: {
    id: "svc-remote-access",
    name: "Maria Chen",
    timeZone: "America/New_York",
    contact: "maria.chen@example.com",
  },
  governance: {
    id: "grc",
    name: "Risk and Compliance (Lee Park)",
    timeZone: "Europe/London",
    contact: "grc@example.com",
  },
  linux: {
    id: "linux-platform",
    name: "Linux Platform (Jonas Weber)",
    timeZone: "Europe/Berlin",
    contact: "linux-platform@example.com",
  },
  mft: {
    id: "mft-ops",
    name: "File Transfer Operations (Aiko Tanaka)",
    timeZone: "Asia/Tokyo",
    contact: "mft-ops@example.com",
  },
  grid: {
    id: "ot-grid",
    name: "Grid Automation (Sofia Lindqvist)",
    timeZone: "Europe/Stockholm",
    contact: "grid-automation@example.com",
  },
  billing: {
    id: "billing-app",
    name: "Billing Platform (Ravi Menon)",
    timeZone: "Asia/Kolkata",
    contact: "billing-platform@example.com",
  },
} satisfies Record<string, OwnerRef>;

const PATCH_EVIDENCE = [
  "version proof (installed version at or above the fixed version)",
  "deployment record or change ticket",
  "post-patch scan or inventory evidence",
  "validation timestamp",
];

function checkpoint(kind: Checkpoint["kind"], due: string, zone: string, local: string, escalateTo?: string) {
  const c: Checkpoint = { kind, due, zone, local };
  if (escalateTo !== undefined) c.escalateTo = escalateTo;
  return c;
}

/** CVE-2024-3400 (corpus cve5/CVE-2024-3400.json, kev/known_exploited_vulnerabilities.json). */
export function patchNowItem(): WorkItem {
  return {
    id: "WI-3400a1b2c3",
    advisory: {
      id: "CVE-2024-3400",
      aliases: [],
      title: "PAN-OS: Arbitrary File Creation Leads to OS Command Injection Vulnerability in GlobalProtect",
      vendor: "Palo Alto Networks",
      product: "PAN-OS",
      component: "GlobalProtect",
      affectedVersions: ["10.2.0 before 10.2.9-h1", "11.0.0 before 11.0.4-h1", "11.1.0 before 11.1.2-h3"],
      cvss: { version: "3.1", baseScore: 10, severity: "CRITICAL", source: "cna" },
      kev: { dateAdded: "2024-04-12", dueDate: "2024-04-19", ransomware: true },
    },
    assetGroup: "VPN edge firewalls",
    environments: ["production"],
    businessServices: ["Remote access VPN"],
    owner: OWNERS.netops,
    serviceOwner: OWNERS.remoteAccess,
    securityOwner: OWNERS.security,
    governanceOwner: OWNERS.governance,
    assets: [
      {
        id: "fw-edge-01",
        name: "fw-edge-01",
        environment: "production",
        exposure: "internet",
        roles: ["edge", "vpn"],
        criticality: "critical",
        businessService: "Remote access VPN",
        installed: "PAN-OS 11.1.2",
        status: "affected",
        reason: "11.1.2 is in the affected range 11.1.0 before 11.1.2-h3",
      },
      {
        id: "fw-edge-02",
        name: "fw-edge-02",
        environment: "production",
        exposure: "internet",
        roles: ["edge", "vpn"],
        criticality: "critical",
        businessService: "Remote access VPN",
        installed: "PAN-OS 11.1.2",
        status: "affected",
        reason: "11.1.2 is in the affected range 11.1.0 before 11.1.2-h3",
      },
    ],
    lane: "patch-now",
    decision: {
      lane: "patch-now",
      proposedLane: "patch-now",
      rule: "kev-listed",
      explanation: "Listed in CISA KEV with known ransomware use, on internet-facing edge VPN gateways.",
      triggers: [
        {
          kind: "kev",
          text: "Listed in CISA KEV on 2024-04-12 (due 2024-04-19)",
          source: "CISA KEV catalog 2025.08.25",
          confidence: "high",
        },
        {
          kind: "ransomware",
          text: "Known use in ransomware campaigns",
          source: "CISA KEV catalog 2025.08.25",
          confidence: "high",
        },
        {
          kind: "exploitation",
          text: "Active exploitation (SSVC exploitation: active)",
          source: "CISA ADP SSVC 2024-04-17",
          confidence: "high",
        },
        {
          kind: "exposure",
          text: "Internet-facing GlobalProtect gateways (2 assets)",
          source: "inventory",
          confidence: "medium",
        },
        { kind: "role", text: "Edge VPN role", source: "inventory", confidence: "medium" },
      ],
      reviewTriggers: [],
      ssvc: {
        points: {
          exploitation: "active",
          automatable: "yes",
          technicalImpact: "total",
          source: "CISA-ADP",
          timestamp: "2024-04-17T04:00:13.543064Z",
        },
        outcome: "Act",
        assumed: ["mission and well-being high (critical assets)"],
      },
    },
    missing: [],
    fix: {
      fixedVersion: "11.1.2-h3",
      patchLinks: ["https://security.paloaltonetworks.com/CVE-2024-3400"],
      workarounds: [],
      mitigations: [
        "Threat Prevention with Threat IDs 95187, 95189 and 95191 applied to the GlobalProtect interface",
      ],
      reboot: "the firewall restarts to load the new PAN-OS image",
      knownIssues: [],
    },
    change: {
      testing: "Upgrade the lab pair fw-lab-01/02 first and confirm GlobalProtect logins and HA sync",
      rollback: "Boot the previous PAN-OS image kept on each node (about 15 minutes per node)",
      maintenanceWindow: "Emergency window Tue 16 Apr 2024 22:00 to Wed 17 Apr 02:00 EDT (America/New_York)",
      dependencies: "HA pair: upgrade the passive node first, fail over, then upgrade the former active node",
      approval: "Emergency change approved by the service owner, Maria Chen",
      communication: "Remote-access users told two hours ahead on the IT status page",
      reboot: "each node reboots once",
    },
    fallback: {
      mitigation: "Threat Prevention with Threat IDs 95187, 95189 and 95191 on the GlobalProtect interface",
      monitoring: "SOC watches GlobalProtect and system logs for exploitation attempts",
      exceptionPath: "Exception request to Risk and Compliance with compensating controls and an expiry date",
      reviewDate: "2024-04-18",
    },
    closureEvidence: [...PATCH_EVIDENCE],
    deadline: {
      at: "2024-04-20T03:59:59Z",
      zone: "America/New_York",
      local: "2024-04-19T23:59:59-04:00",
      basis: "BOD 22-01: KEV due date 2024-04-19, end of day America/New_York",
    },
    cadence: [
      checkpoint(
        "acknowledgment",
        "2024-04-15T17:00:00Z",
        "America/New_York",
        "2024-04-15T13:00:00-04:00",
        "Head of Infrastructure",
      ),
      checkpoint("status", "2024-04-16T13:00:00Z", "America/New_York", "2024-04-16T09:00:00-04:00", "netops"),
      checkpoint(
        "blocker-escalation",
        "2024-04-17T13:00:00Z",
        "America/New_York",
        "2024-04-17T09:00:00-04:00",
        "svc-remote-access",
      ),
      checkpoint("final", "2024-04-20T03:59:59Z", "America/New_York", "2024-04-19T23:59:59-04:00", "grc"),
    ],
    policy: { pack: "bod-22-01", band: "kev" },
    caveats: [
      "A KEV listing is not proof of compromise; check the firewalls for indicators separately.",
      "Cloud NGFW and Prisma Access are not affected (vendor statement).",
    ],
    plannedAt: "2024-04-15T13:00:00Z",
  };
}

/** CVE-2024-6387 on RHEL 9 (corpus cve5/CVE-2024-6387.json: not in KEV, SSVC poc/no/total). */
export function patchWindowItem(): WorkItem {
  const base = patchNowItem();
  return {
    ...base,
    id: "WI-6387d4e5f6",
    advisory: {
      id: "CVE-2024-6387",
      aliases: ["RHSA-2024:4312"],
      title: "Openssh: regresshion - race condition in ssh allows rce/dos",
      vendor: "Red Hat",
      product: "Red Hat Enterprise Linux 9",
      component: "openssh",
      affectedVersions: ["openssh before 0:8.7p1-38.el9_4.1"],
      cvss: { version: "3.1", baseScore: 8.1, severity: "HIGH", source: "cna" },
    },
    assetGroup: "Internal build servers",
    environments: ["production", "staging"],
    businessServices: ["Software build pipeline"],
    owner: OWNERS.linux,
    serviceOwner: {
      id: "svc-build",
      name: "Tomasz Nowak",
      timeZone: "Europe/Warsaw",
      contact: "t.nowak@example.com",
    },
    assets: [
      {
        id: "build-01",
        name: "build-01",
        environment: "production",
        exposure: "internal",
        roles: ["ci"],
        criticality: "medium",
        businessService: "Software build pipeline",
        installed: "openssh 0:8.7p1-34.el9",
        status: "affected",
        reason: "below the fixed build 0:8.7p1-38.el9_4.1",
      },
      {
        id: "build-stg-01",
        name: "build-stg-01",
        environment: "staging",
        exposure: "internal",
        roles: ["ci"],
        criticality: "low",
        installed: "openssh 0:8.7p1-34.el9",
        status: "affected",
        reason: "below the fixed build 0:8.7p1-38.el9_4.1",
      },
    ],
    lane: "patch-window",
    decision: {
      lane: "patch-window",
      proposedLane: "patch-window",
      rule: "fixable-not-urgent",
      explanation: "Not in KEV, proof-of-concept only and internal exposure, so a planned window is enough.",
      triggers: [],
      reviewTriggers: [
        { kind: "kev", text: "CVE-2024-6387 is added to CISA KEV" },
        { kind: "exploitation", text: "Exploitation beyond the public proof of concept is reported" },
        { kind: "exposure", text: "Any of these servers becomes reachable from the internet" },
        { kind: "vendor-guidance", text: "Red Hat changes its guidance or the fixed build" },
      ],
      ssvc: {
        points: {
          exploitation: "poc",
          automatable: "no",
          technicalImpact: "total",
          source: "CISA-ADP",
          timestamp: "2024-07-02T13:18:34.695298Z",
        },
        outcome: "Track",
        assumed: ["mission and well-being medium"],
      },
    },
    fix: {
      fixedVersion: "0:8.7p1-38.el9_4.1",
      patchLinks: ["https://access.redhat.com/errata/RHSA-2024:4312"],
      workarounds: ["Set LoginGraceTime 0 in sshd_config (exposes sshd to connection exhaustion)"],
      mitigations: [],
      reboot: "sshd restarts; no host reboot",
      knownIssues: [],
    },
    change: {
      testing: "Patch build-stg-01 first and run the nightly pipeline against it",
      rollback: "dnf history undo of the openssh transaction",
      maintenanceWindow: "Sat 02:00 to 06:00 Europe/Berlin",
      dependencies: "none known; build agents reconnect after sshd restarts",
      approval: "Standard change, pre-approved by the service owner",
      communication: "Notice in the engineering channel one day ahead",
      reboot: "no host reboot; sshd restarts",
    },
    fallback: {
      mitigation: "Restrict SSH to the jump hosts with the host firewall",
      monitoring: "SOC alerts on repeated SSH pre-authentication timeouts",
      exceptionPath: "Exception request to Risk and Compliance",
      reviewDate: "2024-07-20",
    },
    deadline: {
      at: "2024-07-06T04:00:00Z",
      zone: "Europe/Berlin",
      local: "2024-07-06T06:00:00+02:00",
      basis: "End of the next maintenance window (sat 02:00 for 4 hours, Europe/Berlin)",
    },
    cadence: [
      checkpoint(
        "acknowledgment",
        "2024-07-05T09:00:00Z",
        "Europe/Berlin",
        "2024-07-05T11:00:00+02:00",
        "svc-build",
      ),
      checkpoint("final", "2024-07-06T04:00:00Z", "Europe/Berlin", "2024-07-06T06:00:00+02:00", "sec-vm"),
    ],
    policy: { pack: "bod-22-01", band: "not in KEV" },
    caveats: [
      "The public exploit needs hours of attempts against 32-bit glibc systems; 64-bit is slower to exploit.",
    ],
    plannedAt: "2024-07-03T09:00:00Z",
  };
}

/** CVE-2023-34362 (corpus cve5/CVE-2023-34362.json, KEV): patch-now demoted by the readiness gate. */
export function validateItem(): WorkItem {
  const base = patchNowItem();
  return {
    ...base,
    id: "WI-34362a7b8c",
    advisory: {
      id: "CVE-2023-34362",
      aliases: [],
      title: "Progress MOVEit Transfer SQL Injection Vulnerability",
      vendor: "Progress",
      product: "MOVEit Transfer",
      affectedVersions: [
        "before 2021.0.6 (13.0.6)",
        "2021.1.0 before 2021.1.4 (13.1.4)",
        "2023.0.0 before 2023.0.1",
      ],
      cvss: { version: "3.1", baseScore: 9.8, severity: "CRITICAL", source: "adp:CISA-ADP" },
      kev: { dateAdded: "2023-06-02", dueDate: "2023-06-23", ransomware: true },
    },
    assetGroup: "Partner file transfer",
    environments: ["production"],
    businessServices: ["Partner data exchange"],
    owner: OWNERS.mft,
    serviceOwner: {
      id: "svc-partner",
      name: "Hannah Brooks",
      timeZone: "Europe/London",
      contact: "h.brooks@example.com",
    },
    assets: [
      {
        id: "mft-01",
        name: "mft-01",
        environment: "production",
        exposure: "partner",
        roles: ["file-transfer"],
        criticality: "high",
        businessService: "Partner data exchange",
        installed: "MOVEit Transfer (version not reported)",
        status: "unknown",
        reason: "inventory reports the product without a version",
      },
    ],
    lane: "validate",
    decision: {
      lane: "validate",
      proposedLane: "patch-now",
      rule: "kev-listed",
      explanation: "Listed in CISA KEV with known ransomware use; the readiness gate found fields missing.",
      triggers: [
        {
          kind: "kev",
          text: "Listed in CISA KEV on 2023-06-02 (due 2023-06-23)",
          source: "CISA KEV catalog 2025.08.25",
          confidence: "high",
        },
        {
          kind: "exploitation",
          text: "Active exploitation (SSVC exploitation: active)",
          source: "CISA ADP SSVC 2024-06-27",
          confidence: "high",
        },
      ],
      reviewTriggers: [],
      ssvc: {
        points: {
          exploitation: "active",
          automatable: "yes",
          technicalImpact: "total",
          source: "CISA-ADP",
          timestamp: "2024-06-27T03:55:18.412801Z",
        },
        outcome: "Act",
        assumed: [],
      },
    },
    missing: [
      {
        field: "fixedVersion",
        detail:
          "the installed MOVEit Transfer release line is not reported, so the fixed build cannot be chosen",
        supplier: "system-owner",
        supplierOwner: "mft-ops",
      },
      {
        field: "testing",
        detail: "no test plan for the MOVEit Transfer upgrade",
        supplier: "system-owner",
        supplierOwner: "mft-ops",
      },
      {
        field: "rollback",
        detail: "no rollback path for the upgrade, which also changes the database schema",
        supplier: "system-owner",
      },
      {
        field: "deadline",
        detail: "no maintenance window agreed with partners",
        supplier: "service-owner",
        supplierOwner: "svc-partner",
      },
    ],
    fix: { patchLinks: [], workarounds: [], mitigations: [], knownIssues: [] },
    change: {},
    fallback: {
      mitigation: "Block HTTP and HTTPS to mft-01 from the internet until it is patched",
      monitoring: "SOC hunts for the published indicators in the MOVEit web logs",
      exceptionPath: "Exception request to Risk and Compliance",
    },
    closureEvidence: ["product and version evidence per asset"],
    deadline: {
      at: "2023-06-07T08:00:00Z",
      zone: "Asia/Tokyo",
      local: "2023-06-07T17:00:00+09:00",
      basis: "Validation answer: 2 days from handoff",
    },
    cadence: [
      checkpoint(
        "acknowledgment",
        "2023-06-06T08:00:00Z",
        "Asia/Tokyo",
        "2023-06-06T17:00:00+09:00",
        "sec-vm",
      ),
      checkpoint("status", "2023-06-07T08:00:00Z", "Asia/Tokyo", "2023-06-07T17:00:00+09:00", "svc-partner"),
      checkpoint("final", "2023-06-07T08:00:00Z", "Asia/Tokyo", "2023-06-07T17:00:00+09:00", "grc"),
    ],
    policy: { pack: "bod-22-01", band: "kev" },
    caveats: ["A KEV listing is not proof of compromise."],
    plannedAt: "2023-06-05T08:00:00Z",
  };
}

/** CVE-2024-3094 (corpus cve5/CVE-2024-3094.json): affected status unknown, nothing missing from the gate. */
export function unknownStatusItem(): WorkItem {
  const base = validateItem();
  return {
    ...base,
    id: "WI-3094c1d2e3",
    advisory: {
      id: "CVE-2024-3094",
      aliases: [],
      title: "Xz: malicious code in distributed source",
      vendor: "Red Hat",
      product: "xz",
      affectedVersions: ["5.6.0", "5.6.1"],
    },
    assetGroup: "Developer workstations",
    environments: ["development"],
    businessServices: [],
    owner: OWNERS.linux,
    serviceOwner: undefined,
    assets: [
      {
        id: "dev-ws-17",
        name: "dev-ws-17",
        environment: "development",
        exposure: "internal",
        roles: [],
        criticality: "low",
        installed: "xz-libs 5.6.0-1 (custom build)",
        status: "unknown",
        reason: "custom build; a backported fix cannot be ruled out",
      },
    ],
    decision: {
      lane: "validate",
      proposedLane: "validate",
      rule: "status-unknown",
      explanation: "The installed xz build is custom, so its affected status is unknown.",
      triggers: [],
      reviewTriggers: [{ kind: "affected-status", text: "The build is confirmed affected" }],
    },
    missing: [],
    policy: { pack: "bod-22-01" },
    caveats: [],
  };
}

/** CVE-2022-30938, Siemens EN100 DNP3 IP variant (corpus csaf/icsa-22-195-16.json: no fix planned). */
export function mitigateItem(): WorkItem {
  const base = patchNowItem();
  return {
    ...base,
    id: "WI-30938f0a1b",
    advisory: {
      id: "CVE-2022-30938",
      aliases: ["ICSA-22-195-16"],
      title: "Siemens EN100 Ethernet Module",
      vendor: "Siemens",
      product: "EN100 Ethernet module DNP3 IP variant",
      affectedVersions: ["all versions"],
      cvss: { version: "3.1", baseScore: 8.6, severity: "HIGH", source: "csaf:ICSA-22-195-16" },
    },
    assetGroup: "Substation protection relays",
    environments: ["ot-production"],
    businessServices: ["Grid protection"],
    owner: OWNERS.grid,
    serviceOwner: {
      id: "svc-grid",
      name: "Erik Holm",
      timeZone: "Europe/Stockholm",
      contact: "erik.holm@example.com",
    },
    assets: [
      {
        id: "sub-north-relay-01",
        name: "sub-north-relay-01",
        environment: "ot-production",
        exposure: "internal",
        roles: ["ot"],
        criticality: "critical",
        businessService: "Grid protection",
        installed: "EN100 DNP3 IP variant",
        status: "affected",
        reason: "vendor lists all versions as affected",
      },
    ],
    lane: "mitigate",
    decision: {
      lane: "mitigate",
      proposedLane: "mitigate",
      rule: "no-fix",
      explanation: "The vendor plans no fix for this variant; the relays protect a critical grid service.",
      triggers: [
        {
          kind: "criticality",
          text: "Business-critical grid protection relays",
          source: "inventory",
          confidence: "medium",
        },
      ],
      reviewTriggers: [
        { kind: "fixed-version", text: "Siemens publishes a fixed version for the DNP3 IP variant" },
      ],
    },
    missing: [],
    fix: {
      patchLinks: [],
      workarounds: ["Block access to port 80/tcp and 443/tcp e.g. with an external firewall"],
      mitigations: ["Disable web service within the device configuration if it is not used"],
      reboot: "relay module restarts after the configuration change",
      knownIssues: [],
    },
    change: {
      testing: "Apply the configuration on the spare relay in the test bay and run the protection test set",
      rollback: "Restore the saved relay configuration file",
      maintenanceWindow: "Thu 20:00 to 22:00 Europe/Stockholm, with the grid control room",
      dependencies: "DIGSI engineering access must stay available on port 102",
      approval: "Grid control room shift lead approves each relay",
      communication: "Control room notified one hour ahead",
      reboot: "the EN100 module restarts (about 2 minutes)",
    },
    fallback: {
      mitigation: "Block port 80/tcp and 443/tcp to the relays at the substation firewall",
      monitoring: "SOC alerts on any HTTP traffic to the relay subnet",
      exceptionPath: "Exception request to Risk and Compliance for relays that need the web service",
      reviewDate: "2022-08-15",
    },
    closureEvidence: ["mitigation applied and tested", "exposure re-validated", "SOC monitoring in place"],
    deadline: {
      at: "2022-07-22T15:00:00Z",
      zone: "Europe/Stockholm",
      local: "2022-07-22T17:00:00+02:00",
      basis: "Policy: mitigation within 7 days of handoff",
    },
    cadence: [
      checkpoint(
        "acknowledgment",
        "2022-07-15T19:00:00Z",
        "Europe/Stockholm",
        "2022-07-15T21:00:00+02:00",
        "svc-grid",
      ),
      checkpoint("final", "2022-07-22T15:00:00Z", "Europe/Stockholm", "2022-07-22T17:00:00+02:00", "grc"),
    ],
    policy: { pack: "custom", band: "mitigate" },
    caveats: ["The vendor advisory states no fix is planned for this variant."],
    plannedAt: "2022-07-15T15:00:00Z",
  };
}

/** CVE-2021-44228, Log4Shell (corpus cve5/CVE-2021-44228.json, KEV): blocked by a vendor limitation. */
export function blockedItem(): WorkItem {
  const base = patchNowItem();
  return {
    ...base,
    id: "WI-44228b2c3d",
    advisory: {
      id: "CVE-2021-44228",
      aliases: [],
      title:
        "Apache Log4j2 JNDI features do not protect against attacker controlled LDAP and other JNDI related endpoints",
      vendor: "Apache Software Foundation",
      product: "Apache Log4j2",
      component: "log4j-core",
      affectedVersions: ["2.0-beta9 before 2.3.1", "2.4 before 2.12.2", "2.13.0 before 2.15.0"],
      cvss: { version: "3.1", baseScore: 10, severity: "CRITICAL", source: "adp:CISA-ADP" },
      kev: { dateAdded: "2021-12-10", dueDate: "2021-12-24", ransomware: true },
    },
    assetGroup: "Billing application servers",
    environments: ["production"],
    businessServices: ["Customer billing"],
    owner: OWNERS.billing,
    serviceOwner: {
      id: "svc-billing",
      name: "Anita Desai",
      timeZone: "Asia/Kolkata",
      contact: "anita.desai@example.com",
    },
    assets: [
      {
        id: "bill-app-01",
        name: "bill-app-01",
        environment: "production",
        exposure: "internal",
        roles: [],
        criticality: "high",
        businessService: "Customer billing",
        installed: "log4j-core 2.14.1",
        status: "affected",
        reason: "2.14.1 is in the affected range 2.13.0 before 2.15.0",
      },
    ],
    lane: "blocked",
    decision: {
      lane: "blocked",
      proposedLane: "patch-now",
      rule: "kev-listed",
      explanation:
        "Vendor limitation: the billing vendor has not certified log4j-core 2.15.0 and will not support the application with it",
      triggers: [
        {
          kind: "kev",
          text: "Listed in CISA KEV on 2021-12-10 (due 2021-12-24)",
          source: "CISA KEV catalog 2025.08.25",
          confidence: "high",
        },
      ],
      reviewTriggers: [
        { kind: "vendor-guidance", text: "The billing vendor certifies a fixed log4j-core release" },
      ],
    },
    fix: {
      fixedVersion: "2.15.0",
      patchLinks: ["https://logging.apache.org/log4j/2.x/security.html"],
      workarounds: ["Remove the JndiLookup class from the log4j-core jar"],
      mitigations: [],
      reboot: "application restart",
      knownIssues: ["The vendor does not support log4j-core 2.15.0 in this release"],
    },
    change: {
      testing: "Full billing run in the staging copy",
      rollback: "Redeploy the previous application package from the artifact store",
      maintenanceWindow: "Sun 01:00 to 04:00 Asia/Kolkata",
      dependencies: "Billing vendor certification of the new log4j-core release",
      approval: "Billing service owner and the vendor",
      communication: "Finance operations told a day ahead",
      reboot: "application restart only",
    },
    fallback: {
      mitigation: "JndiLookup class removed from log4j-core on bill-app-01; outbound LDAP and RMI blocked",
      monitoring: "SOC alerts on jndi: strings in web and application logs",
      exceptionPath:
        "Time-limited exception request to Risk and Compliance until the vendor certifies a release",
      reviewDate: "2021-12-20",
    },
    closureEvidence: [...PATCH_EVIDENCE],
    deadline: {
      at: "2021-12-20T06:30:00Z",
      zone: "Asia/Kolkata",
      local: "2021-12-20T12:00:00+05:30",
      basis: "Blocker review: 3 days from the blocker report",
    },
    cadence: [
      checkpoint(
        "status",
        "2021-12-18T06:30:00Z",
        "Asia/Kolkata",
        "2021-12-18T12:00:00+05:30",
        "svc-billing",
      ),
      checkpoint(
        "blocker-escalation",
        "2021-12-19T06:30:00Z",
        "Asia/Kolkata",
        "2021-12-19T12:00:00+05:30",
        "grc",
      ),
    ],
    policy: { pack: "bod-22-01", band: "kev" },
    caveats: ["Removing JndiLookup is a temporary control, not a fix."],
    plannedAt: "2021-12-17T06:30:00Z",
  };
}

/** CVE-2024-7264, curl (corpus cve5/CVE-2024-7264.json): exception requested for a vendor appliance. */
export function exceptionItem(): WorkItem {
  const base = patchWindowItem();
  return {
    ...base,
    id: "WI-7264e4f5a6",
    advisory: {
      id: "CVE-2024-7264",
      aliases: [],
      title: "ASN.1 date parser overread",
      vendor: "curl",
      product: "curl",
      affectedVersions: ["7.32.0 to 8.9.0"],
      cvss: { version: "3.1", baseScore: 6.3, source: "adp:CISA-ADP" },
    },
    assetGroup: "Lab test appliances",
    environments: ["lab"],
    businessServices: ["Product testing"],
    assets: [
      {
        id: "lab-app-03",
        name: "lab-app-03",
        environment: "lab",
        exposure: "isolated",
        roles: [],
        criticality: "low",
        installed: "curl 8.8.0 (bundled in vendor firmware)",
        status: "affected",
        reason: "8.8.0 is listed as affected",
      },
    ],
    lane: "exception",
    decision: {
      lane: "exception",
      proposedLane: "patch-window",
      rule: "exception-requested",
      explanation:
        "The appliance vendor ships curl in firmware and has no update before Q4; the lab is isolated.",
      triggers: [],
      reviewTriggers: [
        { kind: "exposure", text: "The appliance is connected outside the isolated lab network" },
      ],
      ssvc: {
        points: {
          exploitation: "none",
          automatable: "no",
          technicalImpact: "partial",
          source: "CISA-ADP",
          timestamp: "2024-08-01T20:05:41.315706Z",
        },
        outcome: "Track",
        assumed: [],
      },
    },
    fix: {
      fixedVersion: "8.9.1",
      patchLinks: ["https://curl.se/docs/CVE-2024-7264.html"],
      workarounds: [],
      mitigations: [],
      reboot: "firmware update reboots the appliance",
      knownIssues: [],
    },
    fallback: {
      mitigation: "Keep the appliance on the isolated lab VLAN with no route out",
      monitoring: "SOC reviews lab VLAN flow logs weekly",
      exceptionPath: "Exception for 90 days, owner Jonas Weber, compensating control: lab isolation",
      reviewDate: "2024-10-31",
    },
    closureEvidence: ["signed exception record with expiry", "evidence of the compensating control"],
    deadline: {
      at: "2024-08-16T15:00:00Z",
      zone: "Europe/London",
      local: "2024-08-16T16:00:00+01:00",
      basis: "Exception decision within 7 days of the request",
    },
    cadence: [
      checkpoint(
        "acknowledgment",
        "2024-08-12T15:00:00Z",
        "Europe/London",
        "2024-08-12T16:00:00+01:00",
        "sec-vm",
      ),
      checkpoint("final", "2024-08-16T15:00:00Z", "Europe/London", "2024-08-16T16:00:00+01:00", "sec-vm"),
    ],
    policy: { pack: "custom", band: "exception" },
    caveats: ["SSVC lists no exploitation for this CVE."],
    plannedAt: "2024-08-09T15:00:00Z",
  };
}

/** CVE-2024-3400 again, after the fix was claimed: closure evidence requested. */
export function closureItem(): WorkItem {
  const base = patchNowItem();
  return {
    ...base,
    id: "WI-3400c0ffee",
    lane: "closure",
    decision: { ...base.decision, lane: "closure", proposedLane: "closure", rule: "fix-claimed" },
    deadline: {
      at: "2024-04-19T21:00:00Z",
      zone: "America/New_York",
      local: "2024-04-19T17:00:00-04:00",
      basis: "Closure evidence within 2 days of the fix claim",
    },
    cadence: [
      checkpoint("status", "2024-04-18T21:00:00Z", "America/New_York", "2024-04-18T17:00:00-04:00", "netops"),
      checkpoint("final", "2024-04-19T21:00:00Z", "America/New_York", "2024-04-19T17:00:00-04:00", "grc"),
    ],
    plannedAt: "2024-04-17T21:00:00Z",
  };
}

/** Every lane's fixture, keyed by lane (validate: the gate-failure case). */
export function fixturesByLane(): Record<WorkItem["lane"], WorkItem> {
  return {
    "patch-now": patchNowItem(),
    "patch-window": patchWindowItem(),
    validate: validateItem(),
    blocked: blockedItem(),
    mitigate: mitigateItem(),
    exception: exceptionItem(),
    closure: closureItem(),
  };
}

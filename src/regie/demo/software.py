"""What the demo's computers have installed: the software lists their agents report.

Plain tables read by :mod:`regie.demo.agents`. Each entry is (name, publisher, versions):
the first version is the one an up-to-date machine has, the others older ones still seen on
the fleet. Names are as the Windows uninstall registry or Debian's package list give them,
which is what the agents send.
"""

from __future__ import annotations

Package = tuple[str, str, tuple[str, ...]]

MICROSOFT = "Microsoft Corporation"

# Every Windows workstation has these.
WINDOWS_BASE: tuple[Package, ...] = (
    ("Microsoft Edge", MICROSOFT, ("131.0.2903.86", "130.0.2849.80", "129.0.2792.89")),
    ("Microsoft Edge WebView2 Runtime", MICROSOFT, ("131.0.2903.86", "130.0.2849.80")),
    (
        "Microsoft 365 Apps for enterprise - fr-fr",
        MICROSOFT,
        ("16.0.18129.20158", "16.0.18025.20160", "16.0.17928.20156"),
    ),
    ("Microsoft Teams", MICROSOFT, ("24295.605.3225.8804", "24277.3507.3205.5228")),
    ("Microsoft OneDrive", MICROSOFT, ("24.226.1110.0004", "24.201.1006.0005")),
    ("Microsoft Update Health Tools", MICROSOFT, ("5.72.0.0",)),
    ("Microsoft .NET Runtime - 8.0.11 (x64)", MICROSOFT, ("8.0.11.34221",)),
    ("Microsoft Windows Desktop Runtime - 8.0.11 (x64)", MICROSOFT, ("8.0.11.34221",)),
    ("Microsoft Visual C++ 2015-2022 Redistributable (x64)", MICROSOFT, ("14.40.33810.0",)),
    ("Microsoft Visual C++ 2015-2022 Redistributable (x86)", MICROSOFT, ("14.40.33810.0",)),
    ("Microsoft Visual C++ 2013 Redistributable (x64)", MICROSOFT, ("12.0.40664.0",)),
    ("Microsoft Visual C++ 2013 Redistributable (x86)", MICROSOFT, ("12.0.40664.0",)),
    ("Microsoft Visual C++ 2012 Redistributable (x64)", MICROSOFT, ("11.0.61030.0",)),
    ("Microsoft Visual C++ 2010  x64 Redistributable", MICROSOFT, ("10.0.40219",)),
    ("Microsoft Visual C++ 2010  x86 Redistributable", MICROSOFT, ("10.0.40219",)),
    ("Microsoft Visual C++ 2008 Redistributable - x86", MICROSOFT, ("9.0.30729.6161",)),
    ("Microsoft GameInput", MICROSOFT, ("10.1.26100.3036",)),
    ("Teams Machine-Wide Installer", MICROSOFT, ("1.7.0.13456",)),
    ("Mozilla Firefox ESR (x64 fr)", "Mozilla", ("128.5.1", "128.4.0", "115.17.0")),
    ("Mozilla Maintenance Service", "Mozilla", ("128.5.1",)),
    ("Google Chrome", "Google LLC", ("131.0.6778.109", "130.0.6723.117")),
    ("Adobe Acrobat Reader (64-bit)", "Adobe", ("24.005.20320", "24.004.20272", "23.008.20470")),
    ("7-Zip 24.08 (x64)", "Igor Pavlov", ("24.08",)),
    ("VLC media player", "VideoLAN", ("3.0.21", "3.0.20")),
    ("Notepad++ (64-bit x64)", "Notepad++ Team", ("8.7.4", "8.6.9")),
    ("PDF24 Creator", "geek software GmbH", ("11.22.0", "11.19.0")),
    ("GLPI Agent 1.11", "Teclib'", ("1.11",)),
    ("Realtek Audio Driver", "Realtek Semiconductor Corp.", ("6.0.9549.1",)),
    ("Intel(R) Management Engine Components", "Intel Corporation", ("2306.4.3.0",)),
    ("Intel(R) Chipset Device Software", "Intel(R) Corporation", ("10.1.19444.8378",)),
    ("Intel(R) Serial IO", "Intel Corporation", ("30.100.2237.26",)),
    ("Zoom Workplace (64-bit)", "Zoom Video Communications, Inc.", ("6.3.0.52884",)),
    ("Citrix Workspace 2409", "Citrix Systems, Inc.", ("24.9.0.225",)),
    ("Java 8 Update 431 (64-bit)", "Oracle Corporation", ("8.0.4310.10",)),
    ("Brother MFL-Pro Suite MFC-L8900CDW", "Brother Industries, Ltd.", ("1.0.3.0",)),
    ("RICOH PCL6 UniversalDriver V4.41", "RICOH COMPANY,LTD.", ("4.41.0.0",)),
    ("KX DRIVER for Universal Printing", "KYOCERA Document Solutions Inc.", ("8.3.0815",)),
    ("Microsoft Intune Management Extension", MICROSOFT, ("1.83.107.0",)),
)

MAKER_TOOLS: dict[str, tuple[Package, ...]] = {
    "Dell": (
        ("Dell Command | Update", "Dell Inc.", ("5.4.0", "5.2.0")),
        ("Dell SupportAssist", "Dell Inc.", ("4.6.1.10307",)),
        ("Dell Optimizer", "Dell Inc.", ("4.2.3.0",)),
    ),
    "HP": (
        ("HP Support Assistant", "HP Inc.", ("9.38.16.0",)),
        ("HP Wolf Security", "HP Inc.", ("4.4.2.1104",)),
        ("HP Connection Optimizer", "HP Inc.", ("2.0.19.0",)),
    ),
    "Lenovo": (
        ("Lenovo Vantage Service", "Lenovo Group Ltd.", ("4.0.45.0",)),
        ("Lenovo Commercial Vantage", "Lenovo Group Ltd.", ("20.2408.13.0",)),
    ),
    "HPE": (("HPE Smart Storage Administrator", "Hewlett Packard Enterprise", ("6.30.7.0",)),),
}

ANTIVIRUS_PACKAGE: Package = (
    "ESET Endpoint Security",
    "ESET, spol. s r.o.",
    ("11.1.2039.2", "11.0.2044.0", "10.1.2063.0"),
)
ANTIVIRUS_SERVER_PACKAGE: Package = (
    "ESET Server Security",
    "ESET, spol. s r.o.",
    ("11.0.12012.0",),
)

VPN_CLIENTS: tuple[Package, ...] = (
    ("FortiClient VPN", "Fortinet Technologies Inc", ("7.4.1.1736", "7.2.4.0972", "7.0.13.0376")),
    ("WireGuard", "WireGuard LLC", ("0.5.3",)),
)

# Per department code: the business software its people use (any may be missing).
BY_DEPARTMENT: dict[str, tuple[Package, ...]] = {
    "FIN": (
        ("Berger-Levrault e.magnus Gestion financière", "Berger-Levrault", ("8.12.4", "8.11.2")),
        ("Chorus Pro - Module de dépôt", "AIFE", ("2.3.1",)),
        ("Microsoft Power BI Desktop (x64)", MICROSOFT, ("2.137.1102.0",)),
    ),
    "RH": (
        ("Berger-Levrault e.magnus Gestion RH", "Berger-Levrault", ("8.12.4", "8.11.2")),
        ("Net-entreprises DSN-Val", "GIP-MDS", ("2024.1.2",)),
    ),
    "URBA": (
        ("QGIS 3.34.13 'Prizren'", "QGIS.org", ("3.34.13", "3.34.9")),
        ("AutoCAD LT 2024 - Français (French)", "Autodesk", ("24.3.67.0",)),
        ("Cart@DS Urbanisme", "Géosphère", ("6.4.1",)),
    ),
    "ST": (
        ("QGIS 3.34.13 'Prizren'", "QGIS.org", ("3.34.13",)),
        ("Atal II - Gestion des services techniques", "Adelis", ("4.8.0",)),
    ),
    "COM": (
        ("GIMP 2.10.38", "The GIMP Team", ("2.10.38",)),
        ("Inkscape", "Inkscape", ("1.4.0",)),
        ("Affinity Publisher 2", "Serif (Europe) Ltd", ("2.5.7",)),
    ),
    "CULT": (("Orphée NX", "C3rb Informatique", ("5.2.1",)),),
    "ENF": (("Noé - Gestion petite enfance", "Aiga", ("7.1.3",)),),
    "ECOLES": (
        ("LibreOffice 24.8.3.2", "The Document Foundation", ("24.8.3.2", "7.6.7.2")),
        ("GeoGebra Classic", "International GeoGebra Institute", ("6.0.866.0",)),
        ("Scratch 3", "Scratch Foundation", ("3.29.1",)),
    ),
    "DSI": (
        ("PuTTY release 0.82 (64-bit)", "Simon Tatham", ("0.82.0.0",)),
        ("WinSCP 6.3.6", "Martin Prikryl", ("6.3.6",)),
        ("Wireshark 4.4.2 x64", "The Wireshark developer community", ("4.4.2",)),
        ("Remote Server Administration Tools", MICROSOFT, ("10.0.26100.1",)),
        ("Git", "The Git Development Community", ("2.47.1",)),
        ("Visual Studio Code", "Microsoft Corporation", ("1.96.0",)),
        ("KeePassXC", "KeePassXC Team", ("2.7.9",)),
        ("mRemoteNG", "Next Generation Software", ("1.76.20.24615",)),
    ),
    "DG": (("Microsoft Power BI Desktop (x64)", MICROSOFT, ("2.137.1102.0",)),),
}

# Software some machines have, whoever uses them.
OCCASIONAL: tuple[Package, ...] = (
    ("LibreOffice 24.8.3.2", "The Document Foundation", ("24.8.3.2", "7.6.7.2")),
    ("Audacity 3.7.0", "Audacity Team", ("3.7.0",)),
    ("Paint.NET", "dotPDN LLC", ("5.1.1",)),
    ("Greenshot 1.2.10.6", "Greenshot", ("1.2.10.6",)),
    ("TeamViewer", "TeamViewer", ("15.60.3",)),
    ("Microsoft Visio - fr-fr", MICROSOFT, ("16.0.18129.20158",)),
    ("Microsoft Project - fr-fr", MICROSOFT, ("16.0.18129.20158",)),
    ("WhatsApp", "WhatsApp Inc.", ("2.2447.4.0",)),
    ("Spotify", "Spotify AB", ("1.2.52.442",)),
    ("iTunes", "Apple Inc.", ("12.13.4.4",)),
    ("Foxit PDF Reader", "Foxit Software Inc.", ("2024.3.0.26795",)),
    ("Opera Stable 115.0.5322.68", "Opera Software", ("115.0.5322.68",)),
)

WINDOWS_SERVER_BASE: tuple[Package, ...] = (
    ("Microsoft Edge", MICROSOFT, ("131.0.2903.86",)),
    ("Microsoft Visual C++ 2015-2022 Redistributable (x64)", MICROSOFT, ("14.40.33810.0",)),
    ("Microsoft Visual C++ 2015-2022 Redistributable (x86)", MICROSOFT, ("14.40.33810.0",)),
    ("Microsoft Visual C++ 2013 Redistributable (x64)", MICROSOFT, ("12.0.40664.0",)),
    ("Microsoft .NET Runtime - 8.0.11 (x64)", MICROSOFT, ("8.0.11.34221",)),
    ("7-Zip 24.08 (x64)", "Igor Pavlov", ("24.08",)),
    ("Notepad++ (64-bit x64)", "Notepad++ Team", ("8.7.4",)),
    ("GLPI Agent 1.11", "Teclib'", ("1.11",)),
    ("Zabbix Agent 2 (64-bit)", "Zabbix SIA", ("7.0.6.2400",)),
    ("Microsoft Monitoring Agent", MICROSOFT, ("10.20.18069.0",)),
    ("PowerShell 7-x64", MICROSOFT, ("7.4.6.0",)),
)

# Per server name: what its role brings.
SERVER_ROLES: dict[str, tuple[Package, ...]] = {
    "SRV-SAUVEGARDE": (
        ("Veeam Backup & Replication", "Veeam Software Group GmbH", ("12.2.0.334",)),
        ("Veeam Backup Catalog", "Veeam Software Group GmbH", ("12.2.0.334",)),
        ("Microsoft SQL Server 2016 Express LocalDB", MICROSOFT, ("13.3.6300.1",)),
    ),
    "HYPERV": (
        ("Dell OpenManage Server Administrator", "Dell Inc.", ("11.0.1.0",)),
        ("Veeam Agent for Microsoft Windows", "Veeam Software Group GmbH", ("6.2.0.121",)),
    ),
    "VM-WSUS": (
        ("Windows Server Update Services 3.0 SP2", MICROSOFT, ("3.2.7600.226",)),
        ("Microsoft Report Viewer 2012 Runtime", MICROSOFT, ("11.1.3452.0",)),
    ),
    "VM-FINANCES": (
        ("Berger-Levrault e.magnus Serveur", "Berger-Levrault", ("8.12.4",)),
        ("Microsoft SQL Server 2019 (64-bit)", MICROSOFT, ("15.0.4405.4",)),
    ),
    "VM-GRH": (
        ("Berger-Levrault e.magnus Serveur", "Berger-Levrault", ("8.12.4",)),
        ("Microsoft SQL Server 2019 (64-bit)", MICROSOFT, ("15.0.4405.4",)),
    ),
    "VM-IMPRESSION": (
        ("PaperCut MF", "PaperCut Software Pty Ltd", ("23.0.9",)),
        ("RICOH PCL6 UniversalDriver V4.41", "RICOH COMPANY,LTD.", ("4.41.0.0",)),
    ),
}

DEBIAN_PACKAGES: tuple[Package, ...] = (
    ("base-files", "Debian", ("12.4+deb12u8",)),
    ("bash", "Debian", ("5.2.15-2+b7",)),
    ("coreutils", "Debian", ("9.1-1",)),
    ("openssh-server", "Debian", ("1:9.2p1-2+deb12u3",)),
    ("openssl", "Debian", ("3.0.15-1~deb12u1",)),
    ("linux-image-amd64", "Debian", ("6.1.119-1", "6.1.115-1")),
    ("systemd", "Debian", ("252.31-1~deb12u1",)),
    ("apt", "Debian", ("2.6.1",)),
    ("sudo", "Debian", ("1.9.13p3-1+deb12u1",)),
    ("curl", "Debian", ("7.88.1-10+deb12u8",)),
    ("rsync", "Debian", ("3.2.7-1",)),
    ("chrony", "Debian", ("4.3-2+deb12u1",)),
    ("unattended-upgrades", "Debian", ("2.9.1+nmu3",)),
    ("glpi-agent", "Teclib'", ("1.11-1",)),
    ("zabbix-agent2", "Zabbix SIA", ("1:7.0.6-1+debian12",)),
    ("python3", "Debian", ("3.11.2-1+b1",)),
    ("vim", "Debian", ("2:9.0.1378-2",)),
    ("tmux", "Debian", ("3.3a-3",)),
    ("nftables", "Debian", ("1.0.6-2+deb12u2",)),
    ("fail2ban", "Debian", ("1.0.2-2",)),
    ("borgbackup", "Debian", ("1.2.4-1",)),
    ("postfix", "Debian", ("3.7.11-0+deb12u1",)),
    ("libc6", "Debian", ("2.36-9+deb12u9",)),
    ("ca-certificates", "Debian", ("20230311",)),
    ("locales", "Debian", ("2.36-9+deb12u9",)),
    ("lvm2", "Debian", ("2.03.16-2",)),
    ("mdadm", "Debian", ("4.2-5",)),
    ("smartmontools", "Debian", ("7.3-pre1",)),
    ("needrestart", "Debian", ("3.6-4+deb12u2",)),
    ("logrotate", "Debian", ("3.21.0-1",)),
)
DEBIAN_ROLES: dict[str, tuple[Package, ...]] = {
    "FICHIERS": (
        ("samba", "Debian", ("2:4.17.12+dfsg-0+deb12u1",)),
        ("winbind", "Debian", ("2:4.17.12+dfsg-0+deb12u1",)),
        ("quota", "Debian", ("4.06-1+b2",)),
    ),
    "SUPERVISION": (
        ("zabbix-server-pgsql", "Zabbix SIA", ("1:7.0.6-1+debian12",)),
        ("zabbix-frontend-php", "Zabbix SIA", ("1:7.0.6-1+debian12",)),
        ("postgresql-15", "Debian", ("15.10-0+deb12u1",)),
        ("nginx", "Debian", ("1.22.1-9",)),
        ("php8.2-fpm", "Debian", ("8.2.26-1~deb12u1",)),
    ),
    "REGIE": (
        ("postgresql-15", "Debian", ("15.10-0+deb12u1",)),
        ("redis-server", "Debian", ("5:7.0.15-1~deb12u1",)),
        ("nginx", "Debian", ("1.22.1-9",)),
        ("python3-venv", "Debian", ("3.11.2-1+b1",)),
    ),
}

# Runtimes, drivers and components every Windows install collects (servers take the first 24).
WINDOWS_COMPONENTS: tuple[Package, ...] = (
    ("Office 16 Click-to-Run Extensibility Component", MICROSOFT, ("1.0",)),
    ("Office 16 Click-to-Run Licensing Component", MICROSOFT, ("1.0",)),
    ("Office 16 Click-to-Run Localization Component", MICROSOFT, ("1.0",)),
    ("Microsoft Edge Update", MICROSOFT, ("1.0",)),
    ("Microsoft Policy Platform", MICROSOFT, ("1.0",)),
    ("Windows PC Health Check", MICROSOFT, ("1.0",)),
    ("Microsoft Teams Meeting Add-in for Microsoft Office", MICROSOFT, ("1.0",)),
    ("Microsoft OneNote - fr-fr", MICROSOFT, ("1.0",)),
    ("Microsoft Search in Bing", MICROSOFT, ("1.0",)),
    ("Microsoft ASP.NET Core 8.0.11 Shared Framework (x64)", MICROSOFT, ("1.0",)),
    ("Microsoft ASP.NET Core 8.0.11 Shared Framework (x86)", MICROSOFT, ("1.0",)),
    ("Microsoft .NET Runtime - 6.0.36 (x64)", MICROSOFT, ("1.0",)),
    ("Microsoft .NET Runtime - 6.0.36 (x86)", MICROSOFT, ("1.0",)),
    ("Microsoft Windows Desktop Runtime - 6.0.36 (x64)", MICROSOFT, ("1.0",)),
    ("Microsoft Visual C++ 2012 Redistributable (x86)", MICROSOFT, ("1.0",)),
    ("Microsoft Visual C++ 2008 Redistributable - x64", MICROSOFT, ("1.0",)),
    ("Microsoft Visual Studio Tools for Applications 2019", MICROSOFT, ("1.0",)),
    ("Microsoft Access database engine 2016 (French)", MICROSOFT, ("1.0",)),
    ("Microsoft Silverlight", MICROSOFT, ("1.0",)),
    ("Microsoft XML Parser", MICROSOFT, ("1.0",)),
    ("MSXML 4.0 SP3 Parser", MICROSOFT, ("1.0",)),
    ("Windows Software Development Kit - Windows 10.0.19041.685", MICROSOFT, ("1.0",)),
    ("Local Administrator Password Solution", MICROSOFT, ("1.0",)),
    ("Microsoft Azure Information Protection", MICROSOFT, ("1.0",)),
    ("Intel(R) Graphics Driver", MICROSOFT, ("1.0",)),
    ("Intel(R) Wireless Bluetooth(R)", MICROSOFT, ("1.0",)),
    ("Intel(R) PROSet/Wireless Software", MICROSOFT, ("1.0",)),
    ("Intel(R) Rapid Storage Technology", MICROSOFT, ("1.0",)),
    ("Intel(R) Optane(TM) Memory and Storage Management", MICROSOFT, ("1.0",)),
    ("Realtek Card Reader", MICROSOFT, ("1.0",)),
    ("Synaptics Pointing Device Driver", MICROSOFT, ("1.0",)),
    ("Conexant HD Audio", MICROSOFT, ("1.0",)),
    ("DisplayLink Graphics", MICROSOFT, ("1.0",)),
    ("Logitech Options+", MICROSOFT, ("1.0",)),
    ("Poly Lens Desktop", MICROSOFT, ("1.0",)),
    ("Jabra Direct", MICROSOFT, ("1.0",)),
    ("Adobe Genuine Service", MICROSOFT, ("1.0",)),
    ("Adobe Refresh Manager", MICROSOFT, ("1.0",)),
    ("Adobe Acrobat Update Service", MICROSOFT, ("1.0",)),
    ("Google Update Helper", MICROSOFT, ("1.0",)),
    ("Mozilla Thunderbird (x64 fr)", MICROSOFT, ("1.0",)),
    ("FileZilla 3.68.1", MICROSOFT, ("1.0",)),
    ("Microsoft Remote Desktop", MICROSOFT, ("1.0",)),
    ("Microsoft Power Automate Desktop", MICROSOFT, ("1.0",)),
    ("Windows Driver Package - Dell (DDDriver) SoftwareComponent", MICROSOFT, ("1.0",)),
    ("Windows Driver Package - Intel Net (e1dexpress)", MICROSOFT, ("1.0",)),
    ("Windows Driver Package - Realtek (RTSUER) USB", MICROSOFT, ("1.0",)),
    ("Windows Driver Package - Intel (iaStorVD) HDC", MICROSOFT, ("1.0",)),
    ("Windows Driver Package - Microsoft Bluetooth", MICROSOFT, ("1.0",)),
    ("Universal Print Connector", MICROSOFT, ("1.0",)),
)

DEBIAN_LIBRARIES: tuple[Package, ...] = (
    ("libssl3", "Debian", ("12",)),
    ("libcurl4", "Debian", ("12",)),
    ("libsystemd0", "Debian", ("12",)),
    ("libudev1", "Debian", ("12",)),
    ("libpam0g", "Debian", ("12",)),
    ("libpam-modules", "Debian", ("12",)),
    ("libncursesw6", "Debian", ("12",)),
    ("libreadline8", "Debian", ("12",)),
    ("libsqlite3-0", "Debian", ("12",)),
    ("libxml2", "Debian", ("12",)),
    ("libzstd1", "Debian", ("12",)),
    ("liblzma5", "Debian", ("12",)),
    ("libbz2-1.0", "Debian", ("12",)),
    ("zlib1g", "Debian", ("12",)),
    ("libgnutls30", "Debian", ("12",)),
    ("libkrb5-3", "Debian", ("12",)),
    ("libldap-2.5-0", "Debian", ("12",)),
    ("libsasl2-2", "Debian", ("12",)),
    ("libpython3.11", "Debian", ("12",)),
    ("libexpat1", "Debian", ("12",)),
    ("libffi8", "Debian", ("12",)),
    ("libgcrypt20", "Debian", ("12",)),
    ("libgpg-error0", "Debian", ("12",)),
    ("libnftnl11", "Debian", ("12",)),
    ("libmnl0", "Debian", ("12",)),
    ("libselinux1", "Debian", ("12",)),
    ("libacl1", "Debian", ("12",)),
    ("libattr1", "Debian", ("12",)),
    ("libcap2", "Debian", ("12",)),
    ("libdb5.3", "Debian", ("12",)),
    ("libgdbm6", "Debian", ("12",)),
    ("libidn2-0", "Debian", ("12",)),
    ("libunistring2", "Debian", ("12",)),
    ("libnettle8", "Debian", ("12",)),
    ("libhogweed6", "Debian", ("12",)),
    ("libp11-kit0", "Debian", ("12",)),
    ("libtasn1-6", "Debian", ("12",)),
    ("libseccomp2", "Debian", ("12",)),
    ("libsmartcols1", "Debian", ("12",)),
    ("libblkid1", "Debian", ("12",)),
    ("libmount1", "Debian", ("12",)),
    ("libuuid1", "Debian", ("12",)),
    ("libfdisk1", "Debian", ("12",)),
    ("libpcre2-8-0", "Debian", ("12",)),
    ("libstdc++6", "Debian", ("12",)),
    ("libgcc-s1", "Debian", ("12",)),
    ("libtinfo6", "Debian", ("12",)),
    ("libaudit1", "Debian", ("12",)),
    ("libcom-err2", "Debian", ("12",)),
    ("libkeyutils1", "Debian", ("12",)),
)

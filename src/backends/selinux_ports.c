/*
 * The reference policy's port types (see selinux_ports.h).  One entry
 * per portcon statement of Debian's selinux-policy-default
 * 2:2.20221101-9 for tcp and udp; ranges nest, and the narrowest range
 * that holds a port wins, as in the kernel.  The generic types cover the
 * rest: reserved_port_t 1-511, hi_reserved_port_t 512-1023 and
 * unreserved_port_t 1024-65535.
 */
#include "config.h"

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "cpolc/util.h"
#include "selinux_ports.h"

const struct cp_sel_port cp_sel_ports[] = {
	{CP_PROTO_TCP, 1, 1, "inetd_child_port_t"},
	{CP_PROTO_TCP, 1, 511, "reserved_port_t"},
	{CP_PROTO_TCP, 7, 7, "inetd_child_port_t"},
	{CP_PROTO_TCP, 9, 9, "inetd_child_port_t"},
	{CP_PROTO_TCP, 13, 13, "inetd_child_port_t"},
	{CP_PROTO_TCP, 19, 19, "inetd_child_port_t"},
	{CP_PROTO_TCP, 20, 20, "ftp_data_port_t"},
	{CP_PROTO_TCP, 21, 21, "ftp_port_t"},
	{CP_PROTO_TCP, 22, 22, "ssh_port_t"},
	{CP_PROTO_TCP, 23, 23, "telnetd_port_t"},
	{CP_PROTO_TCP, 24, 24, "lmtp_port_t"},
	{CP_PROTO_TCP, 25, 25, "smtp_port_t"},
	{CP_PROTO_TCP, 37, 37, "inetd_child_port_t"},
	{CP_PROTO_TCP, 43, 43, "whois_port_t"},
	{CP_PROTO_TCP, 53, 53, "dns_port_t"},
	{CP_PROTO_TCP, 60, 60, "audit_port_t"},
	{CP_PROTO_TCP, 68, 68, "dhcpc_port_t"},
	{CP_PROTO_TCP, 70, 70, "gopher_port_t"},
	{CP_PROTO_TCP, 79, 79, "fingerd_port_t"},
	{CP_PROTO_TCP, 80, 80, "http_port_t"},
	{CP_PROTO_TCP, 88, 88, "kerberos_port_t"},
	{CP_PROTO_TCP, 106, 106, "pop_port_t"},
	{CP_PROTO_TCP, 109, 109, "pop_port_t"},
	{CP_PROTO_TCP, 110, 110, "pop_port_t"},
	{CP_PROTO_TCP, 111, 111, "portmap_port_t"},
	{CP_PROTO_TCP, 113, 113, "auth_port_t"},
	{CP_PROTO_TCP, 119, 119, "innd_port_t"},
	{CP_PROTO_TCP, 135, 135, "epmap_port_t"},
	{CP_PROTO_TCP, 137, 139, "smbd_port_t"},
	{CP_PROTO_TCP, 143, 143, "pop_port_t"},
	{CP_PROTO_TCP, 177, 177, "xdmcp_port_t"},
	{CP_PROTO_TCP, 179, 179, "bgp_port_t"},
	{CP_PROTO_TCP, 199, 199, "snmp_port_t"},
	{CP_PROTO_TCP, 220, 220, "pop_port_t"},
	{CP_PROTO_TCP, 236, 236, "zarafa_port_t"},
	{CP_PROTO_TCP, 237, 237, "zarafa_port_t"},
	{CP_PROTO_TCP, 389, 389, "ldap_port_t"},
	{CP_PROTO_TCP, 427, 427, "svrloc_port_t"},
	{CP_PROTO_TCP, 443, 443, "http_port_t"},
	{CP_PROTO_TCP, 445, 445, "smbd_port_t"},
	{CP_PROTO_TCP, 464, 464, "kerberos_admin_port_t"},
	{CP_PROTO_TCP, 465, 465, "smtp_port_t"},
	{CP_PROTO_TCP, 488, 488, "http_port_t"},
	{CP_PROTO_TCP, 512, 512, "inetd_child_port_t"},
	{CP_PROTO_TCP, 512, 1023, "hi_reserved_port_t"},
	{CP_PROTO_TCP, 513, 513, "rlogind_port_t"},
	{CP_PROTO_TCP, 514, 514, "rsh_port_t"},
	{CP_PROTO_TCP, 515, 515, "printer_port_t"},
	{CP_PROTO_TCP, 520, 520, "efs_port_t"},
	{CP_PROTO_TCP, 521, 521, "router_port_t"},
	{CP_PROTO_TCP, 538, 538, "gdomap_port_t"},
	{CP_PROTO_TCP, 539, 539, "apertus_ldp_port_t"},
	{CP_PROTO_TCP, 540, 540, "uucpd_port_t"},
	{CP_PROTO_TCP, 543, 543, "inetd_child_port_t"},
	{CP_PROTO_TCP, 544, 544, "inetd_child_port_t"},
	{CP_PROTO_TCP, 546, 546, "dhcpc_port_t"},
	{CP_PROTO_TCP, 547, 547, "dhcpd_port_t"},
	{CP_PROTO_TCP, 548, 548, "dhcpd_port_t"},
	{CP_PROTO_TCP, 554, 554, "rtsp_port_t"},
	{CP_PROTO_TCP, 587, 587, "smtp_port_t"},
	{CP_PROTO_TCP, 631, 631, "ipp_port_t"},
	{CP_PROTO_TCP, 636, 636, "ldap_port_t"},
	{CP_PROTO_TCP, 647, 647, "dhcpd_port_t"},
	{CP_PROTO_TCP, 705, 705, "agentx_port_t"},
	{CP_PROTO_TCP, 749, 749, "kerberos_admin_port_t"},
	{CP_PROTO_TCP, 750, 750, "kerberos_port_t"},
	{CP_PROTO_TCP, 754, 754, "kprop_port_t"},
	{CP_PROTO_TCP, 783, 783, "spamd_port_t"},
	{CP_PROTO_TCP, 847, 847, "dhcpd_port_t"},
	{CP_PROTO_TCP, 853, 853, "dns_port_t"},
	{CP_PROTO_TCP, 873, 873, "rsync_port_t"},
	{CP_PROTO_TCP, 891, 891, "inetd_child_port_t"},
	{CP_PROTO_TCP, 892, 892, "inetd_child_port_t"},
	{CP_PROTO_TCP, 901, 901, "swat_port_t"},
	{CP_PROTO_TCP, 953, 953, "rndc_port_t"},
	{CP_PROTO_TCP, 990, 990, "ftp_port_t"},
	{CP_PROTO_TCP, 993, 993, "pop_port_t"},
	{CP_PROTO_TCP, 995, 995, "pop_port_t"},
	{CP_PROTO_TCP, 1024, 65535, "unreserved_port_t"},
	{CP_PROTO_TCP, 1043, 1043, "boinc_client_port_t"},
	{CP_PROTO_TCP, 1050, 1050, "cma_port_t"},
	{CP_PROTO_TCP, 1109, 1109, "pop_port_t"},
	{CP_PROTO_TCP, 1161, 1161, "snmp_port_t"},
	{CP_PROTO_TCP, 1178, 1178, "dbskkd_port_t"},
	{CP_PROTO_TCP, 1186, 1186, "mysqld_port_t"},
	{CP_PROTO_TCP, 1194, 1194, "openvpn_port_t"},
	{CP_PROTO_TCP, 1229, 1229, "zented_port_t"},
	{CP_PROTO_TCP, 1234, 1234, "monopd_port_t"},
	{CP_PROTO_TCP, 1241, 1241, "nessus_port_t"},
	{CP_PROTO_TCP, 1314, 1314, "pdps_port_t"},
	{CP_PROTO_TCP, 1433, 1434, "mssql_port_t"},
	{CP_PROTO_TCP, 1521, 1521, "oracledb_port_t"},
	{CP_PROTO_TCP, 1533, 1533, "virtual_places_port_t"},
	{CP_PROTO_TCP, 1701, 1701, "l2tp_port_t"},
	{CP_PROTO_TCP, 1720, 1720, "asterisk_port_t"},
	{CP_PROTO_TCP, 1721, 1721, "gatekeeper_port_t"},
	{CP_PROTO_TCP, 1723, 1723, "pptp_port_t"},
	{CP_PROTO_TCP, 1755, 1755, "ms_streaming_port_t"},
	{CP_PROTO_TCP, 1782, 1782, "hplip_port_t"},
	{CP_PROTO_TCP, 1863, 1863, "msnp_port_t"},
	{CP_PROTO_TCP, 1900, 1900, "ssdp_port_t"},
	{CP_PROTO_TCP, 2000, 2000, "mail_port_t"},
	{CP_PROTO_TCP, 2040, 2040, "afs_fs_port_t"},
	{CP_PROTO_TCP, 2049, 2049, "nfs_port_t"},
	{CP_PROTO_TCP, 2083, 2083, "radsec_port_t"},
	{CP_PROTO_TCP, 2105, 2105, "inetd_child_port_t"},
	{CP_PROTO_TCP, 2126, 2126, "pktcable_cops_port_t"},
	{CP_PROTO_TCP, 2181, 2181, "zookeeper_client_port_t"},
	{CP_PROTO_TCP, 2207, 2207, "hplip_port_t"},
	{CP_PROTO_TCP, 2208, 2208, "hplip_port_t"},
	{CP_PROTO_TCP, 2273, 2273, "mysqlmanagerd_port_t"},
	{CP_PROTO_TCP, 2401, 2401, "cvs_port_t"},
	{CP_PROTO_TCP, 2483, 2483, "oracledb_port_t"},
	{CP_PROTO_TCP, 2484, 2484, "oracledb_port_t"},
	{CP_PROTO_TCP, 2501, 2501, "kismet_port_t"},
	{CP_PROTO_TCP, 2583, 2583, "mon_port_t"},
	{CP_PROTO_TCP, 2600, 2604, "zebra_port_t"},
	{CP_PROTO_TCP, 2605, 2605, "bgp_port_t"},
	{CP_PROTO_TCP, 2606, 2606, "zebra_port_t"},
	{CP_PROTO_TCP, 2628, 2628, "dict_port_t"},
	{CP_PROTO_TCP, 2703, 2703, "razor_port_t"},
	{CP_PROTO_TCP, 2812, 2812, "monit_port_t"},
	{CP_PROTO_TCP, 2888, 2888, "zookeeper_leader_port_t"},
	{CP_PROTO_TCP, 2947, 2947, "gpsd_port_t"},
	{CP_PROTO_TCP, 3000, 3001, "ntop_port_t"},
	{CP_PROTO_TCP, 3050, 3050, "gds_db_port_t"},
	{CP_PROTO_TCP, 3128, 3128, "http_cache_port_t"},
	{CP_PROTO_TCP, 3129, 3129, "netport_port_t"},
	{CP_PROTO_TCP, 3142, 3142, "aptcacher_port_t"},
	{CP_PROTO_TCP, 3198, 3198, "embrace_dp_c_port_t"},
	{CP_PROTO_TCP, 3205, 3205, "isns_port_t"},
	{CP_PROTO_TCP, 3260, 3260, "iscsi_port_t"},
	{CP_PROTO_TCP, 3261, 3261, "winshadow_port_t"},
	{CP_PROTO_TCP, 3268, 3268, "ldap_port_t"},
	{CP_PROTO_TCP, 3269, 3269, "ldap_port_t"},
	{CP_PROTO_TCP, 3306, 3306, "mysqld_port_t"},
	{CP_PROTO_TCP, 3310, 3310, "clamd_port_t"},
	{CP_PROTO_TCP, 3378, 3378, "wsicopy_port_t"},
	{CP_PROTO_TCP, 3401, 3401, "squid_port_t"},
	{CP_PROTO_TCP, 3493, 3493, "ups_port_t"},
	{CP_PROTO_TCP, 3528, 3528, "jboss_iiop_port_t"},
	{CP_PROTO_TCP, 3551, 3551, "apcupsd_port_t"},
	{CP_PROTO_TCP, 3632, 3632, "distccd_port_t"},
	{CP_PROTO_TCP, 3636, 3636, "servistaitsm_port_t"},
	{CP_PROTO_TCP, 3689, 3689, "daap_port_t"},
	{CP_PROTO_TCP, 3690, 3690, "svn_port_t"},
	{CP_PROTO_TCP, 3874, 3874, "sixxsconfig_port_t"},
	{CP_PROTO_TCP, 3888, 3888, "zookeeper_election_port_t"},
	{CP_PROTO_TCP, 3905, 3905, "mail_port_t"},
	{CP_PROTO_TCP, 4190, 4190, "sieve_port_t"},
	{CP_PROTO_TCP, 4321, 4321, "whois_port_t"},
	{CP_PROTO_TCP, 4369, 4369, "epmd_port_t"},
	{CP_PROTO_TCP, 4379, 4379, "ctdb_port_t"},
	{CP_PROTO_TCP, 4444, 4444, "kerberos_master_port_t"},
	{CP_PROTO_TCP, 4460, 4460, "ntske_port_t"},
	{CP_PROTO_TCP, 4500, 4500, "ipsecnat_port_t"},
	{CP_PROTO_TCP, 4690, 4690, "prelude_port_t"},
	{CP_PROTO_TCP, 4713, 4713, "pulseaudio_port_t"},
	{CP_PROTO_TCP, 4743, 4743, "openhpid_port_t"},
	{CP_PROTO_TCP, 4827, 4827, "squid_port_t"},
	{CP_PROTO_TCP, 4949, 4949, "munin_port_t"},
	{CP_PROTO_TCP, 5000, 5000, "commplex_main_port_t"},
	{CP_PROTO_TCP, 5001, 5001, "commplex_link_port_t"},
	{CP_PROTO_TCP, 5050, 5050, "mmcc_port_t"},
	{CP_PROTO_TCP, 5060, 5060, "sip_port_t"},
	{CP_PROTO_TCP, 5061, 5061, "sip_port_t"},
	{CP_PROTO_TCP, 5149, 5149, "cluster_port_t"},
	{CP_PROTO_TCP, 5190, 5193, "aol_port_t"},
	{CP_PROTO_TCP, 5222, 5222, "jabber_client_port_t"},
	{CP_PROTO_TCP, 5223, 5223, "jabber_client_port_t"},
	{CP_PROTO_TCP, 5252, 5252, "movaz_ssc_port_t"},
	{CP_PROTO_TCP, 5269, 5269, "jabber_interserver_port_t"},
	{CP_PROTO_TCP, 5298, 5299, "presence_port_t"},
	{CP_PROTO_TCP, 5323, 5323, "imaze_port_t"},
	{CP_PROTO_TCP, 5335, 5335, "howl_port_t"},
	{CP_PROTO_TCP, 5355, 5355, "llmnr_port_t"},
	{CP_PROTO_TCP, 5357, 5357, "wsdapi_port_t"},
	{CP_PROTO_TCP, 5404, 5404, "netsupport_port_t"},
	{CP_PROTO_TCP, 5405, 5405, "netsupport_port_t"},
	{CP_PROTO_TCP, 5432, 5432, "postgresql_port_t"},
	{CP_PROTO_TCP, 5546, 5546, "dhcpc_port_t"},
	{CP_PROTO_TCP, 5666, 5666, "inetd_child_port_t"},
	{CP_PROTO_TCP, 5671, 5672, "amqp_port_t"},
	{CP_PROTO_TCP, 5679, 5679, "dccm_port_t"},
	{CP_PROTO_TCP, 5703, 5703, "ptal_port_t"},
	{CP_PROTO_TCP, 5900, 5900, "vnc_port_t"},
	{CP_PROTO_TCP, 5984, 5984, "couchdb_port_t"},
	{CP_PROTO_TCP, 5988, 5988, "pegasus_http_port_t"},
	{CP_PROTO_TCP, 5989, 5989, "pegasus_https_port_t"},
	{CP_PROTO_TCP, 6000, 6020, "xserver_port_t"},
	{CP_PROTO_TCP, 6081, 6082, "varnishd_port_t"},
	{CP_PROTO_TCP, 6363, 6363, "repository_port_t"},
	{CP_PROTO_TCP, 6379, 6379, "redis_port_t"},
	{CP_PROTO_TCP, 6514, 6514, "syslog_tls_port_t"},
	{CP_PROTO_TCP, 6600, 6600, "mpd_port_t"},
	{CP_PROTO_TCP, 6665, 6665, "ircd_port_t"},
	{CP_PROTO_TCP, 6666, 6666, "ircd_port_t"},
	{CP_PROTO_TCP, 6667, 6667, "ircd_port_t"},
	{CP_PROTO_TCP, 6668, 6668, "ircd_port_t"},
	{CP_PROTO_TCP, 6669, 6669, "ircd_port_t"},
	{CP_PROTO_TCP, 6697, 6697, "ircd_port_t"},
	{CP_PROTO_TCP, 6767, 6767, "cyphesis_port_t"},
	{CP_PROTO_TCP, 6769, 6769, "cyphesis_port_t"},
	{CP_PROTO_TCP, 6780, 6799, "cyphesis_port_t"},
	{CP_PROTO_TCP, 6969, 6969, "tor_port_t"},
	{CP_PROTO_TCP, 7000, 7000, "gatekeeper_port_t"},
	{CP_PROTO_TCP, 7001, 7001, "afs3_callback_port_t"},
	{CP_PROTO_TCP, 7100, 7100, "xfs_port_t"},
	{CP_PROTO_TCP, 7410, 7410, "ionixnetmon_port_t"},
	{CP_PROTO_TCP, 7634, 7634, "hddtemp_port_t"},
	{CP_PROTO_TCP, 7778, 7778, "interwise_port_t"},
	{CP_PROTO_TCP, 7911, 7911, "dhcpd_port_t"},
	{CP_PROTO_TCP, 8000, 8000, "soundd_port_t"},
	{CP_PROTO_TCP, 8002, 8002, "xen_port_t"},
	{CP_PROTO_TCP, 8005, 8005, "mxi_port_t"},
	{CP_PROTO_TCP, 8008, 8008, "http_port_t"},
	{CP_PROTO_TCP, 8009, 8009, "http_port_t"},
	{CP_PROTO_TCP, 8020, 8020, "hadoop_namenode_port_t"},
	{CP_PROTO_TCP, 8021, 8021, "zope_port_t"},
	{CP_PROTO_TCP, 8022, 8022, "oa_system_port_t"},
	{CP_PROTO_TCP, 8036, 8036, "speech_port_t"},
	{CP_PROTO_TCP, 8080, 8080, "http_cache_port_t"},
	{CP_PROTO_TCP, 8081, 8081, "transproxy_port_t"},
	{CP_PROTO_TCP, 8118, 8118, "http_cache_port_t"},
	{CP_PROTO_TCP, 8140, 8140, "puppet_port_t"},
	{CP_PROTO_TCP, 8200, 8200, "trivnet1_port_t"},
	{CP_PROTO_TCP, 8290, 8290, "hplip_port_t"},
	{CP_PROTO_TCP, 8292, 8292, "hplip_port_t"},
	{CP_PROTO_TCP, 8384, 8384, "syncthing_admin_port_t"},
	{CP_PROTO_TCP, 8443, 8443, "http_port_t"},
	{CP_PROTO_TCP, 8448, 8448, "http_port_t"},
	{CP_PROTO_TCP, 8610, 8614, "ipp_port_t"},
	{CP_PROTO_TCP, 8765, 8765, "lirc_port_t"},
	{CP_PROTO_TCP, 8787, 8787, "msgsrvr_port_t"},
	{CP_PROTO_TCP, 8953, 8953, "rndc_port_t"},
	{CP_PROTO_TCP, 9000, 9000, "cslistener_port_t"},
	{CP_PROTO_TCP, 9001, 9001, "tor_port_t"},
	{CP_PROTO_TCP, 9010, 9010, "i18n_input_port_t"},
	{CP_PROTO_TCP, 9030, 9030, "tor_port_t"},
	{CP_PROTO_TCP, 9050, 9050, "tor_port_t"},
	{CP_PROTO_TCP, 9051, 9051, "tor_port_t"},
	{CP_PROTO_TCP, 9080, 9080, "ocsp_port_t"},
	{CP_PROTO_TCP, 9090, 9090, "websm_port_t"},
	{CP_PROTO_TCP, 9100, 9100, "hplip_port_t"},
	{CP_PROTO_TCP, 9101, 9101, "hplip_port_t"},
	{CP_PROTO_TCP, 9102, 9102, "hplip_port_t"},
	{CP_PROTO_TCP, 9125, 9125, "pingd_port_t"},
	{CP_PROTO_TCP, 9191, 9191, "glance_registry_port_t"},
	{CP_PROTO_TCP, 9220, 9220, "hplip_port_t"},
	{CP_PROTO_TCP, 9221, 9221, "hplip_port_t"},
	{CP_PROTO_TCP, 9222, 9222, "hplip_port_t"},
	{CP_PROTO_TCP, 9280, 9280, "hplip_port_t"},
	{CP_PROTO_TCP, 9281, 9281, "hplip_port_t"},
	{CP_PROTO_TCP, 9282, 9282, "hplip_port_t"},
	{CP_PROTO_TCP, 9290, 9290, "hplip_port_t"},
	{CP_PROTO_TCP, 9291, 9291, "hplip_port_t"},
	{CP_PROTO_TCP, 9292, 9292, "armtechdaemon_port_t"},
	{CP_PROTO_TCP, 9418, 9418, "git_port_t"},
	{CP_PROTO_TCP, 9433, 9433, "soundd_port_t"},
	{CP_PROTO_TCP, 9618, 9618, "condor_port_t"},
	{CP_PROTO_TCP, 9875, 9875, "sap_port_t"},
	{CP_PROTO_TCP, 9911, 9911, "sype_transport_port_t"},
	{CP_PROTO_TCP, 10001, 10010, "http_cache_port_t"},
	{CP_PROTO_TCP, 10023, 10023, "postgrey_port_t"},
	{CP_PROTO_TCP, 10024, 10024, "amavisd_recv_port_t"},
	{CP_PROTO_TCP, 10025, 10025, "amavisd_send_port_t"},
	{CP_PROTO_TCP, 10031, 10031, "postfix_policyd_port_t"},
	{CP_PROTO_TCP, 10050, 10050, "zabbix_agent_port_t"},
	{CP_PROTO_TCP, 10051, 10051, "zabbix_port_t"},
	{CP_PROTO_TCP, 10080, 10083, "amanda_port_t"},
	{CP_PROTO_TCP, 10200, 10200, "trisoap_port_t"},
	{CP_PROTO_TCP, 11111, 11111, "ricci_port_t"},
	{CP_PROTO_TCP, 11211, 11211, "memcache_port_t"},
	{CP_PROTO_TCP, 11333, 11333, "spamd_port_t"},
	{CP_PROTO_TCP, 11371, 11371, "pgpkeyserver_port_t"},
	{CP_PROTO_TCP, 16001, 16001, "soundd_port_t"},
	{CP_PROTO_TCP, 16509, 16509, "virt_port_t"},
	{CP_PROTO_TCP, 16514, 16514, "virt_port_t"},
	{CP_PROTO_TCP, 16851, 16851, "ricci_modcluster_port_t"},
	{CP_PROTO_TCP, 17500, 17500, "dropbox_port_t"},
	{CP_PROTO_TCP, 20048, 20048, "mountd_port_t"},
	{CP_PROTO_TCP, 20049, 20049, "nfsrdma_port_t"},
	{CP_PROTO_TCP, 22000, 22000, "syncthing_port_t"},
	{CP_PROTO_TCP, 24007, 24007, "glusterd_port_t"},
	{CP_PROTO_TCP, 24009, 24009, "glusterd_port_t"},
	{CP_PROTO_TCP, 25151, 25151, "cobbler_port_t"},
	{CP_PROTO_TCP, 26379, 26379, "redis_port_t"},
	{CP_PROTO_TCP, 30003, 30003, "tcs_port_t"},
	{CP_PROTO_TCP, 31416, 31416, "boinc_port_t"},
	{CP_PROTO_TCP, 40040, 40040, "cluster_port_t"},
	{CP_PROTO_TCP, 49000, 49000, "matahari_port_t"},
	{CP_PROTO_TCP, 49152, 49216, "virt_migration_port_t"},
	{CP_PROTO_TCP, 50000, 50000, "hplip_port_t"},
	{CP_PROTO_TCP, 50002, 50002, "hplip_port_t"},
	{CP_PROTO_TCP, 50006, 50008, "cluster_port_t"},
	{CP_PROTO_TCP, 50010, 50010, "hadoop_datanode_port_t"},
	{CP_PROTO_TCP, 51235, 51235, "certmaster_port_t"},
	{CP_PROTO_TCP, 60000, 60000, "postgrey_port_t"},
	{CP_PROTO_TCP, 63132, 63164, "mysqld_port_t"},
	{CP_PROTO_UDP, 1, 1, "inetd_child_port_t"},
	{CP_PROTO_UDP, 1, 511, "reserved_port_t"},
	{CP_PROTO_UDP, 7, 7, "inetd_child_port_t"},
	{CP_PROTO_UDP, 9, 9, "inetd_child_port_t"},
	{CP_PROTO_UDP, 13, 13, "inetd_child_port_t"},
	{CP_PROTO_UDP, 19, 19, "inetd_child_port_t"},
	{CP_PROTO_UDP, 24, 24, "lmtp_port_t"},
	{CP_PROTO_UDP, 37, 37, "inetd_child_port_t"},
	{CP_PROTO_UDP, 43, 43, "whois_port_t"},
	{CP_PROTO_UDP, 53, 53, "dns_port_t"},
	{CP_PROTO_UDP, 67, 67, "dhcpd_port_t"},
	{CP_PROTO_UDP, 68, 68, "dhcpc_port_t"},
	{CP_PROTO_UDP, 69, 69, "tftp_port_t"},
	{CP_PROTO_UDP, 70, 70, "gopher_port_t"},
	{CP_PROTO_UDP, 88, 88, "kerberos_port_t"},
	{CP_PROTO_UDP, 111, 111, "portmap_port_t"},
	{CP_PROTO_UDP, 123, 123, "ntp_port_t"},
	{CP_PROTO_UDP, 135, 135, "epmap_port_t"},
	{CP_PROTO_UDP, 137, 137, "nmbd_port_t"},
	{CP_PROTO_UDP, 138, 138, "nmbd_port_t"},
	{CP_PROTO_UDP, 161, 161, "snmp_port_t"},
	{CP_PROTO_UDP, 162, 162, "snmp_port_t"},
	{CP_PROTO_UDP, 177, 177, "xdmcp_port_t"},
	{CP_PROTO_UDP, 179, 179, "bgp_port_t"},
	{CP_PROTO_UDP, 323, 323, "chronyd_port_t"},
	{CP_PROTO_UDP, 389, 389, "ldap_port_t"},
	{CP_PROTO_UDP, 427, 427, "svrloc_port_t"},
	{CP_PROTO_UDP, 464, 464, "kerberos_admin_port_t"},
	{CP_PROTO_UDP, 500, 500, "isakmp_port_t"},
	{CP_PROTO_UDP, 512, 512, "comsat_port_t"},
	{CP_PROTO_UDP, 512, 1023, "hi_reserved_port_t"},
	{CP_PROTO_UDP, 513, 513, "rwho_port_t"},
	{CP_PROTO_UDP, 514, 514, "syslogd_port_t"},
	{CP_PROTO_UDP, 517, 517, "ktalkd_port_t"},
	{CP_PROTO_UDP, 518, 518, "ktalkd_port_t"},
	{CP_PROTO_UDP, 520, 520, "router_port_t"},
	{CP_PROTO_UDP, 521, 521, "router_port_t"},
	{CP_PROTO_UDP, 538, 538, "gdomap_port_t"},
	{CP_PROTO_UDP, 539, 539, "apertus_ldp_port_t"},
	{CP_PROTO_UDP, 546, 546, "dhcpc_port_t"},
	{CP_PROTO_UDP, 547, 547, "dhcpd_port_t"},
	{CP_PROTO_UDP, 548, 548, "dhcpd_port_t"},
	{CP_PROTO_UDP, 554, 554, "rtsp_port_t"},
	{CP_PROTO_UDP, 623, 623, "ipmi_port_t"},
	{CP_PROTO_UDP, 631, 631, "ipp_port_t"},
	{CP_PROTO_UDP, 636, 636, "ldap_port_t"},
	{CP_PROTO_UDP, 647, 647, "dhcpd_port_t"},
	{CP_PROTO_UDP, 664, 664, "ipmi_port_t"},
	{CP_PROTO_UDP, 705, 705, "agentx_port_t"},
	{CP_PROTO_UDP, 750, 750, "kerberos_port_t"},
	{CP_PROTO_UDP, 847, 847, "dhcpd_port_t"},
	{CP_PROTO_UDP, 873, 873, "rsync_port_t"},
	{CP_PROTO_UDP, 891, 891, "inetd_child_port_t"},
	{CP_PROTO_UDP, 892, 892, "inetd_child_port_t"},
	{CP_PROTO_UDP, 953, 953, "rndc_port_t"},
	{CP_PROTO_UDP, 990, 990, "ftp_port_t"},
	{CP_PROTO_UDP, 1024, 65535, "unreserved_port_t"},
	{CP_PROTO_UDP, 1034, 1034, "boinc_client_port_t"},
	{CP_PROTO_UDP, 1050, 1050, "cma_port_t"},
	{CP_PROTO_UDP, 1194, 1194, "openvpn_port_t"},
	{CP_PROTO_UDP, 1229, 1229, "zented_port_t"},
	{CP_PROTO_UDP, 1314, 1314, "pdps_port_t"},
	{CP_PROTO_UDP, 1433, 1434, "mssql_port_t"},
	{CP_PROTO_UDP, 1521, 1521, "oracledb_port_t"},
	{CP_PROTO_UDP, 1533, 1533, "virtual_places_port_t"},
	{CP_PROTO_UDP, 1645, 1645, "radius_port_t"},
	{CP_PROTO_UDP, 1646, 1646, "radacct_port_t"},
	{CP_PROTO_UDP, 1701, 1701, "l2tp_port_t"},
	{CP_PROTO_UDP, 1718, 1718, "gatekeeper_port_t"},
	{CP_PROTO_UDP, 1719, 1719, "gatekeeper_port_t"},
	{CP_PROTO_UDP, 1723, 1723, "pptp_port_t"},
	{CP_PROTO_UDP, 1755, 1755, "ms_streaming_port_t"},
	{CP_PROTO_UDP, 1812, 1812, "radius_port_t"},
	{CP_PROTO_UDP, 1813, 1813, "radacct_port_t"},
	{CP_PROTO_UDP, 1863, 1863, "msnp_port_t"},
	{CP_PROTO_UDP, 1900, 1900, "ssdp_port_t"},
	{CP_PROTO_UDP, 2048, 2048, "wccp_port_t"},
	{CP_PROTO_UDP, 2049, 2049, "nfs_port_t"},
	{CP_PROTO_UDP, 2126, 2126, "pktcable_cops_port_t"},
	{CP_PROTO_UDP, 2401, 2401, "cvs_port_t"},
	{CP_PROTO_UDP, 2427, 2427, "asterisk_port_t"},
	{CP_PROTO_UDP, 2483, 2483, "oracledb_port_t"},
	{CP_PROTO_UDP, 2484, 2484, "oracledb_port_t"},
	{CP_PROTO_UDP, 2583, 2583, "mon_port_t"},
	{CP_PROTO_UDP, 2600, 2604, "zebra_port_t"},
	{CP_PROTO_UDP, 2605, 2605, "bgp_port_t"},
	{CP_PROTO_UDP, 2606, 2606, "zebra_port_t"},
	{CP_PROTO_UDP, 2727, 2727, "asterisk_port_t"},
	{CP_PROTO_UDP, 3000, 3001, "ntop_port_t"},
	{CP_PROTO_UDP, 3050, 3050, "gds_db_port_t"},
	{CP_PROTO_UDP, 3129, 3129, "netport_port_t"},
	{CP_PROTO_UDP, 3130, 3130, "http_cache_port_t"},
	{CP_PROTO_UDP, 3198, 3198, "embrace_dp_c_port_t"},
	{CP_PROTO_UDP, 3205, 3205, "isns_port_t"},
	{CP_PROTO_UDP, 3261, 3261, "winshadow_port_t"},
	{CP_PROTO_UDP, 3378, 3378, "wsicopy_port_t"},
	{CP_PROTO_UDP, 3401, 3401, "squid_port_t"},
	{CP_PROTO_UDP, 3528, 3528, "jboss_iiop_port_t"},
	{CP_PROTO_UDP, 3551, 3551, "apcupsd_port_t"},
	{CP_PROTO_UDP, 3636, 3636, "servistaitsm_port_t"},
	{CP_PROTO_UDP, 3689, 3689, "daap_port_t"},
	{CP_PROTO_UDP, 3690, 3690, "svn_port_t"},
	{CP_PROTO_UDP, 3874, 3874, "sixxsconfig_port_t"},
	{CP_PROTO_UDP, 4011, 4011, "pxe_port_t"},
	{CP_PROTO_UDP, 4041, 4041, "clockspeed_port_t"},
	{CP_PROTO_UDP, 4321, 4321, "whois_port_t"},
	{CP_PROTO_UDP, 4369, 4369, "epmd_port_t"},
	{CP_PROTO_UDP, 4397, 4397, "ctdb_port_t"},
	{CP_PROTO_UDP, 4444, 4444, "kerberos_master_port_t"},
	{CP_PROTO_UDP, 4500, 4500, "ipsecnat_port_t"},
	{CP_PROTO_UDP, 4569, 4569, "asterisk_port_t"},
	{CP_PROTO_UDP, 4690, 4690, "prelude_port_t"},
	{CP_PROTO_UDP, 4743, 4743, "openhpid_port_t"},
	{CP_PROTO_UDP, 4827, 4827, "squid_port_t"},
	{CP_PROTO_UDP, 4949, 4949, "munin_port_t"},
	{CP_PROTO_UDP, 5000, 5000, "commplex_main_port_t"},
	{CP_PROTO_UDP, 5001, 5001, "commplex_link_port_t"},
	{CP_PROTO_UDP, 5050, 5050, "mmcc_port_t"},
	{CP_PROTO_UDP, 5060, 5060, "sip_port_t"},
	{CP_PROTO_UDP, 5061, 5061, "sip_port_t"},
	{CP_PROTO_UDP, 5149, 5149, "cluster_port_t"},
	{CP_PROTO_UDP, 5190, 5193, "aol_port_t"},
	{CP_PROTO_UDP, 5252, 5252, "movaz_ssc_port_t"},
	{CP_PROTO_UDP, 5298, 5299, "presence_port_t"},
	{CP_PROTO_UDP, 5323, 5323, "imaze_port_t"},
	{CP_PROTO_UDP, 5353, 5353, "howl_port_t"},
	{CP_PROTO_UDP, 5355, 5355, "llmnr_port_t"},
	{CP_PROTO_UDP, 5357, 5357, "wsdapi_port_t"},
	{CP_PROTO_UDP, 5404, 5404, "netsupport_port_t"},
	{CP_PROTO_UDP, 5405, 5405, "netsupport_port_t"},
	{CP_PROTO_UDP, 5546, 5546, "dhcpc_port_t"},
	{CP_PROTO_UDP, 5671, 5672, "amqp_port_t"},
	{CP_PROTO_UDP, 5679, 5679, "dccm_port_t"},
	{CP_PROTO_UDP, 5984, 5984, "couchdb_port_t"},
	{CP_PROTO_UDP, 6276, 6276, "dcc_port_t"},
	{CP_PROTO_UDP, 6277, 6277, "dcc_port_t"},
	{CP_PROTO_UDP, 6514, 6514, "syslog_tls_port_t"},
	{CP_PROTO_UDP, 7000, 7000, "afs_fs_port_t"},
	{CP_PROTO_UDP, 7001, 7001, "afs3_callback_port_t"},
	{CP_PROTO_UDP, 7002, 7002, "afs_pt_port_t"},
	{CP_PROTO_UDP, 7003, 7003, "afs_vl_port_t"},
	{CP_PROTO_UDP, 7004, 7004, "afs_ka_port_t"},
	{CP_PROTO_UDP, 7005, 7005, "afs_fs_port_t"},
	{CP_PROTO_UDP, 7007, 7007, "afs_bos_port_t"},
	{CP_PROTO_UDP, 7410, 7410, "ionixnetmon_port_t"},
	{CP_PROTO_UDP, 7778, 7778, "interwise_port_t"},
	{CP_PROTO_UDP, 8005, 8005, "mxi_port_t"},
	{CP_PROTO_UDP, 8022, 8022, "oa_system_port_t"},
	{CP_PROTO_UDP, 8200, 8200, "trivnet1_port_t"},
	{CP_PROTO_UDP, 8610, 8614, "ipp_port_t"},
	{CP_PROTO_UDP, 8787, 8787, "msgsrvr_port_t"},
	{CP_PROTO_UDP, 8953, 8953, "rndc_port_t"},
	{CP_PROTO_UDP, 9000, 9000, "cslistener_port_t"},
	{CP_PROTO_UDP, 9090, 9090, "websm_port_t"},
	{CP_PROTO_UDP, 9191, 9191, "glance_registry_port_t"},
	{CP_PROTO_UDP, 9292, 9292, "armtechdaemon_port_t"},
	{CP_PROTO_UDP, 9418, 9418, "git_port_t"},
	{CP_PROTO_UDP, 9618, 9618, "condor_port_t"},
	{CP_PROTO_UDP, 9875, 9875, "sap_port_t"},
	{CP_PROTO_UDP, 9911, 9911, "sype_transport_port_t"},
	{CP_PROTO_UDP, 10080, 10082, "amanda_port_t"},
	{CP_PROTO_UDP, 10200, 10200, "trisoap_port_t"},
	{CP_PROTO_UDP, 11111, 11111, "ricci_port_t"},
	{CP_PROTO_UDP, 11211, 11211, "memcache_port_t"},
	{CP_PROTO_UDP, 11371, 11371, "pgpkeyserver_port_t"},
	{CP_PROTO_UDP, 16509, 16509, "virt_port_t"},
	{CP_PROTO_UDP, 16514, 16514, "virt_port_t"},
	{CP_PROTO_UDP, 16851, 16851, "ricci_modcluster_port_t"},
	{CP_PROTO_UDP, 17500, 17500, "dropbox_port_t"},
	{CP_PROTO_UDP, 20048, 20048, "mountd_port_t"},
	{CP_PROTO_UDP, 20049, 20049, "nfsrdma_port_t"},
	{CP_PROTO_UDP, 21027, 21027, "syncthing_discovery_port_t"},
	{CP_PROTO_UDP, 24441, 24441, "pyzor_port_t"},
	{CP_PROTO_UDP, 32771, 32771, "cyphesis_port_t"},
	{CP_PROTO_UDP, 49000, 49000, "matahari_port_t"},
	{CP_PROTO_UDP, 50006, 50008, "cluster_port_t"},
	{CP_PROTO_UDP, 64000, 64010, "traceroute_port_t"},
};

const size_t cp_sel_nports = sizeof(cp_sel_ports) / sizeof(cp_sel_ports[0]);

/*
 * The port space of one protocol cut into segments of one type each,
 * built once from the table (its entries start or end every segment).
 */
struct port_seg {
	unsigned first;
	const char *type;
};

#define PORT_SEG_MAX (2 * (sizeof(cp_sel_ports) / sizeof(cp_sel_ports[0])) + 2)

static struct port_seg port_segs[2][PORT_SEG_MAX];
static size_t port_nsegs[2];

/* The type of ports that no entry holds. */
#define PORT_DEFAULT "unreserved_port_t"

/* Most names differ in the first letter: test that before strcmp(). */
static bool
type_same(const char *a, const char *b)
{
	return a == b || (a[0] == b[0] && strcmp(a, b) == 0);
}

/*
 * One pass over the entries of proto in table order.  Ranges nest, so
 * those that hold the current port form a stack, outermost first, and
 * the top is the narrowest.  The type can change only where an entry
 * starts or where the top one ends: at each such port, close what ended
 * before it, open what starts there (widest first), and begin a segment
 * if the top's type differs from the last segment's.  The unit tests
 * check the table's order and nesting, which this needs.
 */
static void
port_segs_build(enum cp_proto proto, struct port_seg *segs, size_t *nsegs)
{
	const struct cp_sel_port *e = cp_sel_ports;
	const struct cp_sel_port *end = cp_sel_ports + cp_sel_nports;
	const struct cp_sel_port *open[16];
	size_t nopen = 0, m = 0;

	while (e < end && e->proto != proto)
		e++;
	while (end > e && end[-1].proto != proto)
		end--;
	if (e == end || e->first > 1) {
		segs[0].first = 1;
		segs[0].type = PORT_DEFAULT;
		m = 1;
	}
	for (;;) {
		unsigned close = nopen ? open[nopen - 1]->last + 1 : 65536;
		unsigned a = e < end && e->first < close ? e->first : close;
		const struct cp_sel_port *g = e;
		const char *t;

		if (a > 65535)
			break;
		while (nopen && open[nopen - 1]->last < a)
			nopen--;
		while (e < end && e->first == a)
			e++;
		CP_ASSERT(nopen + (size_t)(e - g) <= CP_ARRAY_LEN(open));
		for (const struct cp_sel_port *k = e; k-- > g;)
			open[nopen++] = k;
		t = nopen ? open[nopen - 1]->type : PORT_DEFAULT;
		if (m && type_same(segs[m - 1].type, t))
			continue;
		CP_ASSERT(m < PORT_SEG_MAX);
		segs[m].first = a;
		segs[m].type = t;
		m++;
	}
	*nsegs = m;
}

/* Each protocol's table is built once per process, when first asked
 * for, by whichever thread asks first. */
static void
tcp_segs_init(void)
{
	port_segs_build(CP_PROTO_TCP, port_segs[0], &port_nsegs[0]);
}

static void
udp_segs_init(void)
{
	port_segs_build(CP_PROTO_UDP, port_segs[1], &port_nsegs[1]);
}

static const struct port_seg *
port_segs_of(enum cp_proto proto, size_t *n)
{
	static pthread_once_t once[2] = {PTHREAD_ONCE_INIT, PTHREAD_ONCE_INIT};
	int k = proto == CP_PROTO_TCP ? 0 : 1;

	pthread_once(&once[k], k == 0 ? tcp_segs_init : udp_segs_init);
	*n = port_nsegs[k];
	return port_segs[k];
}

/* The index of the segment that holds port. */
static size_t
port_seg_find(const struct port_seg *seg, size_t n, unsigned port)
{
	size_t lo = 0, hi = n;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (seg[mid].first <= port)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

const char *
cp_sel_port_type(enum cp_proto proto, unsigned port)
{
	size_t n;
	const struct port_seg *seg = port_segs_of(proto, &n);

	return seg[port_seg_find(seg, n, port)].type;
}

unsigned
cp_sel_port_next(enum cp_proto proto, unsigned port)
{
	size_t n;
	const struct port_seg *seg = port_segs_of(proto, &n);
	size_t i = port_seg_find(seg, n, port);

	return i + 1 < n ? seg[i + 1].first : 65536;
}

bool
cp_sel_port_generic(const char *type)
{
	return strcmp(type, "reserved_port_t") == 0 ||
	       strcmp(type, "hi_reserved_port_t") == 0 ||
	       strcmp(type, "unreserved_port_t") == 0;
}

/* Write v in decimal to end in reverse; returns where it starts. */
static char *
put_uint_rev(char *end, unsigned v)
{
	do
		*--end = (char)('0' + v % 10);
	while (v /= 10);
	return end;
}

/* Append the run a..z, after ", " unless it is the first. */
static void
port_put_run(struct cp_buf *b, bool first, unsigned a, unsigned z)
{
	char text[sizeof(", 65535-65535")];
	char *end = text + sizeof(text);
	char *s = put_uint_rev(end, z);

	if (a != z) {
		*--s = '-';
		s = put_uint_rev(s, a);
	}
	if (!first) {
		*--s = ' ';
		*--s = ',';
	}
	cp_buf_add(b, s, (size_t)(end - s));
}

/* The first of the n sorted, disjoint spans that ends at or after port. */
static size_t
span_find(const struct cp_sel_span *v, size_t n, unsigned port)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].last < port)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool
cp_sel_port_others(struct cp_buf *b, enum cp_proto proto, const char *type,
		   const struct cp_sel_span *exclude, size_t nexclude)
{
	size_t n;
	const struct port_seg *seg = port_segs_of(proto, &n);
	bool any = false;

	/* Segments are maximal: a run of type ends with its segment. */
	for (size_t i = 0; i < n; i++) {
		unsigned a = seg[i].first;
		unsigned z = i + 1 < n ? seg[i + 1].first - 1 : 65535;

		if (!type_same(seg[i].type, type))
			continue;
		for (size_t k = span_find(exclude, nexclude, a);
		     k < nexclude && exclude[k].first <= z && a <= z; k++) {
			if (exclude[k].first > a) {
				if (!b)
					return true;
				port_put_run(b, !any, a, exclude[k].first - 1);
				any = true;
			}
			a = exclude[k].last + 1;
		}
		if (a <= z) {
			if (!b)
				return true;
			port_put_run(b, !any, a, z);
			any = true;
		}
	}
	return any;
}

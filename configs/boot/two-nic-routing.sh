#!/bin/sh
# two-nic-routing.sh: the lab's policy routing for two NICs on one subnet, so
# that traffic from one NIC's address to the other's leaves through the wire
# instead of being answered locally over lo. Runs in the guest, as root.
#
# Usage: two-nic-routing.sh [IF1 ADDR1 IF2 ADDR2]
#   ADDR may carry its prefix (10.11.0.1/24). Without arguments the first two
#   NICs mkt-gate set up are used ($MKT_GATE_NICS, $MKT_GATE_NIC_ADDRESSES,
#   from a boot target's nics = 2 and addresses = ...).
#
# What it does, as the original Mellanox lab tools did:
#   - sysctls: rp_filter 0 (a packet from a local address arrives on the
#     other NIC), accept_local 1 (so it is not a martian), arp_filter 1 and
#     arp_ignore 1 (a NIC answers ARP only for its own address), arp_announce 2
#     (ARP requests carry the sending NIC's own address);
#   - a route table per NIC (100, 101) holding the subnet through that NIC,
#     and `ip rule from ADDR lookup TABLE` per interface, so a packet from a
#     NIC's address goes out through that NIC;
#   - `ip rule iif NIC lookup local` per interface, so what arrives from the
#     wire is still delivered here, and the `local` table moved from
#     preference 0 to 1000, behind the per-NIC rules, so it no longer
#     short-cuts traffic between the two local addresses.
# Ping from one address to the other then crosses the segment:
#   ping -I 10.11.0.1 10.11.0.2
set -eu

if [ $# -eq 4 ]; then
	if1=$1 a1=$2 if2=$3 a2=$4
elif [ $# -eq 0 ]; then
	# shellcheck disable=SC2086 # word lists, split on purpose
	set -- ${MKT_GATE_NICS:-}
	if1=${1:-} if2=${2:-}
	# shellcheck disable=SC2086
	set -- ${MKT_GATE_NIC_ADDRESSES:-}
	a1=${1:-} a2=${2:-}
	if [ -z "$if2" ] || [ -z "$a2" ]; then
		echo "two-nic-routing.sh: need two NICs with addresses (nics = 2, addresses = ...)" >&2
		exit 2
	fi
else
	echo "usage: two-nic-routing.sh [IF1 ADDR1 IF2 ADDR2]" >&2
	exit 2
fi
a1=${a1%/*} a2=${a2%/*}

conf()
{
	echo "$3" >"/proc/sys/net/ipv4/conf/$1/$2"
}

for c in all default "$if1" "$if2"; do
	conf "$c" rp_filter 0
	conf "$c" accept_local 1
	conf "$c" arp_filter 1
	conf "$c" arp_ignore 1
	conf "$c" arp_announce 2
done

# One table per NIC: the NIC's subnet, through that NIC, from its address.
table=100
for pair in "$if1 $a1" "$if2 $a2"; do
	# shellcheck disable=SC2086 # "NIC ADDR"
	set -- $pair
	net=$(ip -4 route show dev "$1" proto kernel scope link | sed -n '1s/ .*//p')
	[ -n "$net" ] || { echo "two-nic-routing.sh: $1 has no subnet route" >&2; exit 1; }
	ip route flush table $table 2>/dev/null || true
	ip route add "$net" dev "$1" src "$2" table $table
	ip rule del pref 100 iif "$1" lookup local 2>/dev/null || true
	ip rule add pref 100 iif "$1" lookup local
	ip rule del pref 200 from "$2" lookup $table 2>/dev/null || true
	ip rule add pref 200 from "$2" lookup $table
	table=$((table + 1))
done

# The local table behind the per-NIC rules.
ip rule show | grep -q '^1000:' || ip rule add pref 1000 lookup local
ip rule del pref 0 lookup local 2>/dev/null || true
ip route flush cache 2>/dev/null || true
echo "two-nic-routing.sh: $if1 ($a1) and $if2 ($a2) now reach each other through the wire"

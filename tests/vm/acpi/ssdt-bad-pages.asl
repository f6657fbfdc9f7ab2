/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test SSDT for tests/vm/scenarios/acpi-bad-pages.sh: known-bad pages as
 * an ACPI _DSD property ("bad-pages", as in the DT binding). Node 1's
 * 2 GiB at 0x40000000 are carved out with memmap=2G$0x40000000.
 *
 *   SLB0  1 GiB, three bad pages            -> all added, 3 pages out
 *   SLB1  a bad page outside its range      -> refused
 *   SLB2  bad-pages is a string             -> refused
 */
DefinitionBlock ("", "SSDT", 2, "DAXKMM", "BADPAGE", 0x00000001)
{
    Scope (\_SB)
    {
        Device (SLB0)
        {
            Name (_HID, "PRP0001")
            Name (_UID, 20)
            Name (_PXM, 1)
            Name (_DSD, Package () {
                ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301"),
                Package () {
                    Package () { "compatible", "linux,dax-kmem" },
                    Package () { "bad-pages",
                        Package () { 0x40001000, 0x52345000, 0x7FFFF000 } }
                }
            })
            Name (_CRS, ResourceTemplate () {
                QWordMemory (ResourceConsumer, PosDecode, MinFixed, MaxFixed,
                    Cacheable, ReadWrite, 0x0,
                    0x40000000, 0x7FFFFFFF, 0x0, 0x40000000)
            })
        }

        Device (SLB1)
        {
            Name (_HID, "PRP0001")
            Name (_UID, 21)
            Name (_PXM, 1)
            Name (_DSD, Package () {
                ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301"),
                Package () {
                    Package () { "compatible", "linux,dax-kmem" },
                    Package () { "bad-pages", Package () { 0x40000000 } }
                }
            })
            Name (_CRS, ResourceTemplate () {
                QWordMemory (ResourceConsumer, PosDecode, MinFixed, MaxFixed,
                    Cacheable, ReadWrite, 0x0,
                    0x80000000, 0x8FFFFFFF, 0x0, 0x10000000)
            })
        }

        Device (SLB2)
        {
            Name (_HID, "PRP0001")
            Name (_UID, 22)
            Name (_PXM, 1)
            Name (_DSD, Package () {
                ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301"),
                Package () {
                    Package () { "compatible", "linux,dax-kmem" },
                    Package () { "bad-pages", "0x90001000" }
                }
            })
            Name (_CRS, ResourceTemplate () {
                QWordMemory (ResourceConsumer, PosDecode, MinFixed, MaxFixed,
                    Cacheable, ReadWrite, 0x0,
                    0x90000000, 0x9FFFFFFF, 0x0, 0x10000000)
            })
        }
    }
}

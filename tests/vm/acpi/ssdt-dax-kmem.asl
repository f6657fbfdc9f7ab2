/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test SSDT for tests/vm/scenarios/acpi.sh, injected with QEMU -acpitable.
 * Node 1's 2 GiB at 0x40000000 are carved out with memmap=2G$0x40000000, so
 * none of it is boot memory. Each device is one case:
 *
 *   SLM0  one range, _PXM 1                 -> 1 GiB added on node 1
 *   SLM1  two ranges, _PXM 1                -> two devices, both added
 *   SLM2  no _PXM, SRAT covers the range,   -> node 1 from SRAT, added
 *         _DSD online-type "offline"          offline (policy from _DSD)
 *   SLM3  no _PXM, SRAT does not cover it   -> refused
 *   SLM4  no _CRS at all                    -> refused
 *   SLM5  I/O port only                     -> refused, the port noted
 *   SLM6  zero-length memory                -> refused
 *   SLM7  range inside System RAM           -> refused -EBUSY
 *   SLM8, SLM9  the same range              -> one added, one -EBUSY
 */
DefinitionBlock ("", "SSDT", 2, "DAXKMM", "TESTMEM", 0x00000001)
{
    Scope (\_SB)
    {
        Device (SLM0)
        {
            Name (_HID, "PRP0001")
            Name (_UID, 0)
            Name (_PXM, 1)
            Name (_DSD, Package () {
                ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301"),
                Package () { Package () { "compatible", "linux,dax-kmem" } }
            })
            Name (_CRS, ResourceTemplate () {
                QWordMemory (ResourceConsumer, PosDecode, MinFixed, MaxFixed,
                    Cacheable, ReadWrite, 0x0,
                    0x40000000, 0x7FFFFFFF, 0x0, 0x40000000)
            })
        }

        Device (SLM1)
        {
            Name (_HID, "PRP0001")
            Name (_UID, 1)
            Name (_PXM, 1)
            Name (_DSD, Package () {
                ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301"),
                Package () { Package () { "compatible", "linux,dax-kmem" } }
            })
            Name (_CRS, ResourceTemplate () {
                QWordMemory (ResourceConsumer, PosDecode, MinFixed, MaxFixed,
                    Cacheable, ReadWrite, 0x0,
                    0x80000000, 0x8FFFFFFF, 0x0, 0x10000000)
                QWordMemory (ResourceConsumer, PosDecode, MinFixed, MaxFixed,
                    Cacheable, ReadWrite, 0x0,
                    0x90000000, 0x9FFFFFFF, 0x0, 0x10000000)
            })
        }

        Device (SLM2)
        {
            Name (_HID, "PRP0001")
            Name (_UID, 2)
            Name (_DSD, Package () {
                ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301"),
                Package () {
                    Package () { "compatible", "linux,dax-kmem" },
                    Package () { "online-type", "offline" }
                }
            })
            Name (_CRS, ResourceTemplate () {
                QWordMemory (ResourceConsumer, PosDecode, MinFixed, MaxFixed,
                    Cacheable, ReadWrite, 0x0,
                    0xA0000000, 0xAFFFFFFF, 0x0, 0x10000000)
            })
        }

        Device (SLM3)
        {
            Name (_HID, "PRP0001")
            Name (_UID, 3)
            Name (_DSD, Package () {
                ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301"),
                Package () { Package () { "compatible", "linux,dax-kmem" } }
            })
            Name (_CRS, ResourceTemplate () {
                QWordMemory (ResourceConsumer, PosDecode, MinFixed, MaxFixed,
                    Cacheable, ReadWrite, 0x0,
                    0x200000000, 0x20FFFFFFF, 0x0, 0x10000000)
            })
        }

        Device (SLM4)
        {
            Name (_HID, "PRP0001")
            Name (_UID, 4)
            Name (_PXM, 1)
            Name (_DSD, Package () {
                ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301"),
                Package () { Package () { "compatible", "linux,dax-kmem" } }
            })
        }

        Device (SLM5)
        {
            Name (_HID, "PRP0001")
            Name (_UID, 5)
            Name (_PXM, 1)
            Name (_DSD, Package () {
                ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301"),
                Package () { Package () { "compatible", "linux,dax-kmem" } }
            })
            Name (_CRS, ResourceTemplate () {
                IO (Decode16, 0x0F00, 0x0F00, 0x01, 0x10)
            })
        }

        Device (SLM6)
        {
            Name (_HID, "PRP0001")
            Name (_UID, 6)
            Name (_PXM, 1)
            Name (_DSD, Package () {
                ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301"),
                Package () { Package () { "compatible", "linux,dax-kmem" } }
            })
            Name (_CRS, ResourceTemplate () {
                Memory32Fixed (ReadWrite, 0xB8000000, 0x00000000)
            })
        }

        Device (SLM7)
        {
            Name (_HID, "PRP0001")
            Name (_UID, 7)
            Name (_PXM, 1)
            Name (_DSD, Package () {
                ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301"),
                Package () { Package () { "compatible", "linux,dax-kmem" } }
            })
            Name (_CRS, ResourceTemplate () {
                QWordMemory (ResourceConsumer, PosDecode, MinFixed, MaxFixed,
                    Cacheable, ReadWrite, 0x0,
                    0x30000000, 0x3FFFFFFF, 0x0, 0x10000000)
            })
        }

        Device (SLM8)
        {
            Name (_HID, "PRP0001")
            Name (_UID, 8)
            Name (_PXM, 1)
            Name (_DSD, Package () {
                ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301"),
                Package () { Package () { "compatible", "linux,dax-kmem" } }
            })
            Name (_CRS, ResourceTemplate () {
                QWordMemory (ResourceConsumer, PosDecode, MinFixed, MaxFixed,
                    Cacheable, ReadWrite, 0x0,
                    0xB0000000, 0xBFFFFFFF, 0x0, 0x10000000)
            })
        }

        Device (SLM9)
        {
            Name (_HID, "PRP0001")
            Name (_UID, 9)
            Name (_PXM, 1)
            Name (_DSD, Package () {
                ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301"),
                Package () { Package () { "compatible", "linux,dax-kmem" } }
            })
            Name (_CRS, ResourceTemplate () {
                QWordMemory (ResourceConsumer, PosDecode, MinFixed, MaxFixed,
                    Cacheable, ReadWrite, 0x0,
                    0xB0000000, 0xBFFFFFFF, 0x0, 0x10000000)
            })
        }
    }
}

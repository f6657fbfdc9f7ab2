/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The real-system test's SSDT (tests/system/run.sh, QEMU -acpitable): the
 * way a server's firmware would describe a slow memory range for
 * dax_kmem, one PRP0001 device with compatible "linux,dax-kmem", _PXM 1
 * and 256 MiB at 0x90000000 (hidden from the kernel as Reserved with
 * memmap=, so it is not boot memory). udev loads the module for it by
 * modalias once DKMS has installed it.
 */
DefinitionBlock ("", "SSDT", 2, "DAXKMM", "SYSTEST", 0x00000001)
{
    Scope (\_SB)
    {
        Device (SLOW)
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
                    0x90000000, 0x9FFFFFFF, 0x0, 0x10000000)
            })
        }
    }
}

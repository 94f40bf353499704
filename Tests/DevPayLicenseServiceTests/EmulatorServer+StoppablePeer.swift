import DevPayEmulator
import DevPayTestSupport

extension EmulatorServer: StoppablePeer {}

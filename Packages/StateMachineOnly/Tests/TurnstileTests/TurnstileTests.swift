import DevPayStateMachine
import DevPayStateMachineTesting
import PropertyBased
import Testing
import Turnstile

@Test("the actor agrees with an independent model over seeded random sequences, taking every arrow")
func turnstileBehaves() async {
    let check = StatefulMachineCheck(Turnstile(), initialState: .locked)
    await check.run(count: 50, seed: 7, commands: MachineCommand.sequences(events: Gen<Turnstile.Event>.case))
    check.coverage.expectComplete()
}
